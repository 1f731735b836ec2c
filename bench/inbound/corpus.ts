// bench/inbound: a deterministic corpus of mail that comes back to Demarche, each message
// with the truth about it: what it is (kind), which of our letters it is about (token, or
// null), and for bounces whether the failure is permanent. The formats are written from
// what real mail systems send (Outlook/Exchange, Gmail, Thunderbird, Apple Mail, case
// management systems; Postfix, Exchange and Gmail delivery status notifications; qmail,
// old Exim and old Sendmail bounces; Exchange, Gmail, Sieve and vacation(1) auto-replies;
// newsletters, mailing lists, spam), varied the way real mail varies: languages,
// charsets, transfer encodings, threading headers, attachments. Same seed, same bytes.
import { base64, crlf, encodeWords, fileNameParams, mailbox, multipart, rfc5322Date, textPart } from "./mime";

export type TruthKind = "reply" | "bounce" | "delivered" | "delayed" | "auto-reply" | "unmatched";

export interface Truth {
  kind: TruthKind;
  /** The token of the letter it is about, when the message carries it anywhere a reader could find it. */
  token: string | null;
  /** Bounces only: a permanent (5.x.x) or a temporary (4.x.x) failure. */
  severity: "hard" | "soft" | null;
  /** The generated format, e.g. "dsn/postfix": errors are reported by it. */
  format: string;
  /** What else varied (client, language, addressing), for the examples. */
  variant: string;
}

export interface CorpusMessage {
  raw: Buffer;
  truth: Truth;
}

export type Language = "en" | "fr" | "es" | "de" | "nb" | "ar";

export interface Letter {
  token: string;
  messageId: string;
  subject: string;
  countryCode: string;
  language: Language;
  ministry: { name: string; mailbox: string; domain: string; address: string; tz: number };
  organisation: { name: string; address: string };
  sentAt: Date;
  verp: string;
  replyAddress: string;
}

export const PLATFORM = "demarche@coalition.example";
export const MESSAGE_ID_DOMAIN = "coalition.example";
export const BOUNCE_DOMAIN = "coalition.example";
export const REPLY_DOMAIN = "replies.coalition.example";

// ---------------------------------------------------------------------------------------
// A seeded generator (mulberry32): the whole corpus follows from the seed.

export interface Rng {
  next(): number;
  int(n: number): number;
  between(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  hex(n: number): string;
  alnum(n: number): string;
  uuid(): string;
  bytes(n: number): Buffer;
}

export function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const chars = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[int(alphabet.length)]).join("");
  return {
    next,
    int,
    between: (lo, hi) => lo + int(hi - lo + 1),
    chance: (p) => next() < p,
    pick: (items) => items[int(items.length)],
    weighted(items) {
      const total = items.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [item, w] of items) if ((r -= w) < 0) return item;
      return items[items.length - 1][0];
    },
    hex: (n) => chars("0123456789abcdef", n),
    alnum: (n) => chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", n),
    uuid() {
      const h = chars("0123456789abcdef", 32);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${"89ab"[int(4)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
    bytes(n) {
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i += 4) b.writeUInt32LE((next() * 4294967296) >>> 0, Math.min(i, n - 4));
      return b;
    },
  };
}

// ---------------------------------------------------------------------------------------
// The letters the corpus is about (the bench inserts them as dispatches first).

const STATES: { code: string; language: Language; ministry: string; mailbox: string; domain: string; tz: number }[] = [
  { code: "NO", language: "nb", ministry: "Utenriksdepartementet", mailbox: "postmottak", domain: "mfa.no.example", tz: 60 },
  { code: "DE", language: "de", ministry: "Auswärtiges Amt", mailbox: "poststelle", domain: "diplo.de.example", tz: 60 },
  { code: "AT", language: "de", ministry: "Bundesministerium für europäische und internationale Angelegenheiten", mailbox: "post", domain: "bmeia.at.example", tz: 60 },
  { code: "CH", language: "de", ministry: "Eidgenössisches Departement für auswärtige Angelegenheiten", mailbox: "info", domain: "eda.ch.example", tz: 60 },
  { code: "FR", language: "fr", ministry: "Ministère de l'Europe et des Affaires étrangères", mailbox: "courrier", domain: "diplomatie.fr.example", tz: 60 },
  { code: "BE", language: "fr", ministry: "SPF Affaires étrangères", mailbox: "info", domain: "diplomatie.be.example", tz: 60 },
  { code: "SN", language: "fr", ministry: "Ministère de l'Intégration africaine et des Affaires étrangères", mailbox: "contact", domain: "diplomatie.sn.example", tz: 0 },
  { code: "CI", language: "fr", ministry: "Ministère des Affaires étrangères", mailbox: "courrier", domain: "diplomatie.ci.example", tz: 0 },
  { code: "ES", language: "es", ministry: "Ministerio de Asuntos Exteriores, Unión Europea y Cooperación", mailbox: "registro", domain: "exteriores.es.example", tz: 60 },
  { code: "MX", language: "es", ministry: "Secretaría de Relaciones Exteriores", mailbox: "contacto", domain: "sre.mx.example", tz: -360 },
  { code: "AR", language: "es", ministry: "Ministerio de Relaciones Exteriores", mailbox: "mesadeentradas", domain: "cancilleria.ar.example", tz: -180 },
  { code: "CO", language: "es", ministry: "Cancillería de Colombia", mailbox: "contactenos", domain: "cancilleria.co.example", tz: -300 },
  { code: "JO", language: "ar", ministry: "وزارة الخارجية وشؤون المغتربين", mailbox: "info", domain: "mfa.jo.example", tz: 180 },
  { code: "TN", language: "ar", ministry: "وزارة الشؤون الخارجية", mailbox: "bo", domain: "diplomatie.tn.example", tz: 60 },
  { code: "PS", language: "ar", ministry: "وزارة الخارجية والمغتربين", mailbox: "info", domain: "mofa.ps.example", tz: 120 },
  { code: "GB", language: "en", ministry: "Foreign, Commonwealth and Development Office", mailbox: "correspondence", domain: "fcdo.gb.example", tz: 0 },
  { code: "IE", language: "en", ministry: "Department of Foreign Affairs", mailbox: "queries", domain: "dfa.ie.example", tz: 0 },
  { code: "CA", language: "en", ministry: "Global Affairs Canada", mailbox: "enqserv", domain: "international.ca.example", tz: -300 },
  { code: "NZ", language: "en", ministry: "Ministry of Foreign Affairs and Trade", mailbox: "enquiries", domain: "mfat.nz.example", tz: 780 },
  { code: "ZA", language: "en", ministry: "Department of International Relations and Cooperation", mailbox: "registry", domain: "dirco.za.example", tz: 120 },
  { code: "KE", language: "en", ministry: "Ministry of Foreign and Diaspora Affairs", mailbox: "pspa", domain: "mfa.ke.example", tz: 180 },
  { code: "SE", language: "en", ministry: "Utrikesdepartementet", mailbox: "ud.registrator", domain: "gov.se.example", tz: 60 },
  { code: "NL", language: "en", ministry: "Ministerie van Buitenlandse Zaken", mailbox: "dio", domain: "minbuza.nl.example", tz: 60 },
];

const ORGANISATIONS = [
  { name: "Norwegian Helsinki Committee", address: "post@nhc.example" },
  { name: "Coalition for the International Criminal Court", address: "cicc@coalitionfortheicc.example" },
  { name: "Fédération internationale pour les droits humains", address: "contact@fidh.example" },
  { name: "Human Rights Watch", address: "hrwpress@hrw.example" },
  { name: "Al-Haq", address: "haq@alhaq.example" },
  { name: "Centro de Estudios Legales y Sociales", address: "consultas@cels.example" },
];

const LETTER_SUBJECTS: Record<Language, string[]> = {
  en: ["Joint letter: protect the International Criminal Court from sanctions", "Civil society letter on cooperation with the International Criminal Court", "Letter from 46 organisations on the ICC's independence"],
  fr: ["Lettre conjointe : protéger la Cour pénale internationale contre les sanctions", "Lettre de la société civile sur la coopération avec la CPI"],
  es: ["Carta conjunta: proteger a la Corte Penal Internacional de las sanciones", "Carta de la sociedad civil sobre la cooperación con la CPI"],
  de: ["Gemeinsamer Brief: Schutz des Internationalen Strafgerichtshofs vor Sanktionen", "Brief der Zivilgesellschaft zur Zusammenarbeit mit dem IStGH"],
  nb: ["Felles brev: Vern Den internasjonale straffedomstolen mot sanksjoner", "Brev fra sivilsamfunnet om samarbeid med ICC"],
  ar: ["رسالة مشتركة: حماية المحكمة الجنائية الدولية من العقوبات", "رسالة من المجتمع المدني بشأن التعاون مع المحكمة الجنائية الدولية"],
};

export function makeLetters(count: number, seed = 12): Letter[] {
  const r = rng(seed * 7919 + 1);
  const base = Date.UTC(2026, 10, 23, 9, 0, 0);
  return Array.from({ length: count }, (_, i) => {
    const state = STATES[i % STATES.length];
    const token = r.uuid();
    const language = state.language;
    const subject = r.chance(0.3) ? r.pick(LETTER_SUBJECTS.en) : r.pick(LETTER_SUBJECTS[language]);
    return {
      token,
      messageId: `<dispatch.${token}@${MESSAGE_ID_DOMAIN}>`,
      subject,
      countryCode: state.code,
      language,
      ministry: { name: state.ministry, mailbox: state.mailbox, domain: state.domain, address: `${state.mailbox}@${state.domain}`, tz: state.tz },
      organisation: ORGANISATIONS[i % ORGANISATIONS.length],
      sentAt: new Date(base + r.int(36 * 3600) * 1000),
      verp: `bounces+${token}@${BOUNCE_DOMAIN}`,
      replyAddress: `reply+${token}@${REPLY_DOMAIN}`,
    };
  });
}

// ---------------------------------------------------------------------------------------
// Texts in the languages the coalition writes and is answered in.

const LETTER_BODY = (org: string) =>
  `Dear Minister,\n\nWe write on behalf of 46 organisations from 31 countries about the sanctions announced against officials of the International Criminal Court. We ask your Government to state publicly its support for the Court's independence and to use every means available to protect its staff, its cooperating partners and the victims it serves.\n\nThe full letter, with its signatories, is attached.\n\nYours sincerely,\n\n${org}\n`;

const REPLY_BODY: Record<Language, (ministry: string) => string[]> = {
  en: (m) => [
    `Dear Sir or Madam,\n\nThank you for your letter of 23 November 2026 concerning the International Criminal Court. The Ministry has taken note of the concerns raised by your organisations and will respond in due course.\n\nYours sincerely,\n\nJane Whitfield\nHead of Section, International Law\n${m}`,
    `Dear colleagues,\n\nOn behalf of the Minister, thank you for your joint letter. Our Government's support for the Court and its independence is long-standing, and we will continue to make this clear in the Assembly of States Parties and bilaterally.\n\nKind regards,\n\nPeter Okafor\nLegal Adviser\n${m}`,
  ],
  fr: (m) => [
    `Madame, Monsieur,\n\nNous accusons bonne réception de votre courrier du 23 novembre 2026 relatif à la Cour pénale internationale. Vos préoccupations ont été transmises à la Direction des affaires juridiques, qui ne manquera pas de vous répondre.\n\nVeuillez agréer, Madame, Monsieur, l'expression de nos salutations distinguées.\n\nDirection des affaires juridiques\n${m}`,
    `Mesdames, Messieurs,\n\nLe Ministre m'a chargé de vous remercier pour votre lettre conjointe. Le Gouvernement réaffirme son attachement à l'indépendance de la Cour et à la protection de son personnel.\n\nBien cordialement,\n\nÉlodie Garnier\nSous-direction du droit international public\n${m}`,
  ],
  es: (m) => [
    `Estimados señores:\n\nAcusamos recibo de su carta del 23 de noviembre de 2026 sobre la Corte Penal Internacional. Su contenido ha sido trasladado a la Asesoría Jurídica Internacional para su estudio.\n\nAtentamente,\n\nSubdirección General de Naciones Unidas y Derechos Humanos\n${m}`,
    `Estimadas y estimados:\n\nAgradecemos su comunicación conjunta. Este Ministerio reitera su firme compromiso con la independencia de la Corte y con la protección de las víctimas.\n\nSaludos cordiales,\n\nMaría José Peñalver\nDirección de Asuntos Jurídicos\n${m}`,
  ],
  de: (m) => [
    `Sehr geehrte Damen und Herren,\n\nvielen Dank für Ihr Schreiben vom 23. November 2026 zum Internationalen Strafgerichtshof. Wir haben Ihr Anliegen an das zuständige Referat weitergeleitet und werden Ihnen zeitnah antworten.\n\nMit freundlichen Grüßen\n\nReferat 500 – Völkerrecht\n${m}`,
    `Sehr geehrte Damen und Herren,\n\nim Auftrag der Ministerin danke ich Ihnen für Ihren gemeinsamen Brief. Die Bundesregierung steht unverändert für die Unabhängigkeit des Gerichtshofs ein.\n\nMit freundlichen Grüßen\nJürgen Weiß\n${m}`,
  ],
  nb: (m) => [
    `Hei,\n\nTakk for brevet deres av 23. november 2026 om Den internasjonale straffedomstolen. Henvendelsen er journalført og oversendt Rettsavdelingen, som vil besvare den.\n\nMed vennlig hilsen\n\nRettsavdelingen\n${m}`,
    `Til Den norske Helsingforskomité m.fl.\n\nUtenriksministeren har bedt meg takke for brevet. Norge vil fortsatt arbeide for at domstolen kan utføre sitt mandat uavhengig og uten press.\n\nVennlig hilsen\nSiri Bjørnstad\nseniorrådgiver\n${m}`,
  ],
  ar: (m) => [
    `السادة المحترمون،\n\nنشكركم على رسالتكم المؤرخة في 23 نوفمبر 2026 بشأن المحكمة الجنائية الدولية. وقد أحيلت رسالتكم إلى الإدارة القانونية لدراستها والرد عليها في أقرب الآجال.\n\nوتفضلوا بقبول فائق الاحترام والتقدير،\n\nالإدارة القانونية\n${m}`,
    `تحية طيبة وبعد،\n\nتود الوزارة أن تؤكد استلام رسالتكم المشتركة، وتجدد التزامها الثابت باستقلال المحكمة وحماية الضحايا.\n\nمع خالص التحية،\nإدارة الشؤون القانونية والمعاهدات\n${m}`,
  ],
};

const REPLY_PREFIX: Record<Language, string[]> = {
  en: ["Re: ", "RE: "],
  fr: ["RE : ", "Re: ", "TR: RE : "],
  es: ["RE: ", "Re: ", "RV: RE: "],
  de: ["AW: ", "Re: ", "WG: AW: "],
  nb: ["SV: ", "Re: ", "VS: SV: "],
  ar: ["رد: ", "RE: "],
};

/** The "On … wrote:" line above a quote, as each client writes it in each language. */
const ATTRIBUTION: Record<Language, (date: string, who: string) => string> = {
  en: (d, w) => `On ${d}, ${w} wrote:`,
  fr: (d, w) => `Le ${d}, ${w} a écrit :`,
  es: (d, w) => `El ${d}, ${w} escribió:`,
  de: (d, w) => `Am ${d} schrieb ${w}:`,
  nb: (d, w) => `Den ${d} skrev ${w}:`,
  ar: (d, w) => `في ${d}، كتب ${w}:`,
};

/** Outlook's quoted header block labels. */
const OUTLOOK_LABELS: Record<Language, [string, string, string, string, string]> = {
  en: ["From:", "Sent:", "To:", "Cc:", "Subject:"],
  fr: ["De :", "Envoyé :", "À :", "Cc :", "Objet :"],
  es: ["De:", "Enviado el:", "Para:", "CC:", "Asunto:"],
  de: ["Von:", "Gesendet:", "An:", "Cc:", "Betreff:"],
  nb: ["Fra:", "Sendt:", "Til:", "Kopi:", "Emne:"],
  ar: ["من:", "تاريخ الإرسال:", "إلى:", "نسخة:", "الموضوع:"],
};

const OOO_TEXT: Record<Language, string> = {
  en: "Thank you for your email. I am out of the office until 4 January 2027 with limited access to email. For urgent matters, please contact the Legal Department.",
  fr: "Je suis absent(e) du bureau jusqu'au 4 janvier 2027. Pour toute question urgente, veuillez contacter le secrétariat de la Direction des affaires juridiques.",
  es: "Gracias por su mensaje. Me encuentro fuera de la oficina hasta el 4 de enero de 2027. Para asuntos urgentes, puede dirigirse a la Asesoría Jurídica Internacional.",
  de: "Vielen Dank für Ihre Nachricht. Ich bin bis einschließlich 4. Januar 2027 nicht im Büro. In dringenden Fällen wenden Sie sich bitte an das Referat 500.",
  nb: "Takk for e-posten. Jeg er på ferie til og med 4. januar 2027 og leser ikke e-post. Henvendelser kan sendes til postmottak.",
  ar: "شكراً لرسالتكم. أنا خارج المكتب حتى 4 يناير 2027. للأمور العاجلة يرجى التواصل مع الإدارة القانونية.",
};

/** Exchange's localized "Automatic reply:" (the server writes it, with Auto-Submitted). */
const EXCHANGE_OOF_PREFIX: Record<Language, string> = {
  en: "Automatic reply: ",
  fr: "Réponse automatique : ",
  es: "Respuesta automática: ",
  de: "Automatische Antwort: ",
  nb: "Automatisk svar: ",
  ar: "رد تلقائي: ",
};

/** Out-of-office subjects people and older systems write (no Auto-Submitted header). */
const OOO_SUBJECTS: Record<Language, string[]> = {
  en: ["Out of Office: {s}", "Out of office AutoReply: {s}", "Automatic reply: {s}", "Autoreply: {s}"],
  fr: ["Absent du bureau : {s}", "Réponse automatique : {s}", "Absence du bureau jusqu'au 4 janvier"],
  es: ["Fuera de la oficina: {s}", "Respuesta automática: {s}"],
  de: ["Abwesenheitsnotiz: {s}", "Automatische Antwort: {s}"],
  nb: ["Fraværsmelding: {s}", "Automatisk svar: {s}", "Autosvar: {s}"],
  ar: ["رد تلقائي: {s}", "خارج المكتب: {s}"],
};

const ACK_SUBJECTS: Record<Language, string> = {
  en: "Acknowledgement of receipt - your reference {s}",
  fr: "Accusé de réception de votre courrier",
  es: "Acuse de recibo de su comunicación",
  de: "Eingangsbestätigung Ihrer Nachricht",
  nb: "Kvittering for mottatt henvendelse",
  ar: "إشعار استلام رسالتكم",
};

const ACK_TEXT: Record<Language, string> = {
  en: "This is an automatic acknowledgement. Your message has been received and registered. Please do not reply to this message.",
  fr: "Ceci est un accusé de réception automatique. Votre message a bien été enregistré. Merci de ne pas répondre à ce message.",
  es: "Este es un acuse de recibo automático. Su mensaje ha sido registrado. Por favor, no responda a este mensaje.",
  de: "Dies ist eine automatisch erzeugte Eingangsbestätigung. Ihre Nachricht ist bei uns eingegangen. Bitte antworten Sie nicht auf diese Nachricht.",
  nb: "Dette er en automatisk kvittering. Henvendelsen er mottatt og vil bli journalført. Denne e-posten kan ikke besvares.",
  ar: "هذا إشعار آلي باستلام رسالتكم وتسجيلها. يرجى عدم الرد على هذه الرسالة.",
};

const PERSON_NAMES: Record<Language, string[]> = {
  en: ["Jane Whitfield", "Peter Okafor", "Sarah McAllister", "Thandiwe Dlamini"],
  fr: ["Élodie Garnier", "Moussa Diallo", "François Lefèvre", "Aïssatou Ndiaye"],
  es: ["María José Peñalver", "Julián Gómez", "Lucía Fernández", "Andrés Muñoz"],
  de: ["Jürgen Weiß", "Katrin Schäfer", "Lukas Brünner", "Anna Österreicher"],
  nb: ["Siri Bjørnstad", "Øystein Hågensen", "Ingrid Ålvik", "Lars Sæther"],
  ar: ["أحمد الخطيب", "ليلى منصور", "سامي العبدالله", "رنا حداد"],
};

// ---------------------------------------------------------------------------------------
// Building blocks.

interface Ctx {
  r: Rng;
  letter: Letter;
  date: Date;
  seq: number;
}

const emailOf = (name: string) =>
  name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ø/g, "o")
    .replace(/æ/g, "ae")
    .replace(/å/g, "a")
    .replace(/ß/g, "ss")
    .toLowerCase()
    .replace(/[^a-z ]/g, "")
    .trim()
    .replace(/ +/g, ".");

function official(ctx: Ctx, lang: Language) {
  const i = ctx.r.int(PERSON_NAMES[lang].length);
  const name = PERSON_NAMES[lang][i];
  const local = lang === "ar" ? ["a.khatib", "l.mansour", "s.abdallah", "r.haddad"][i] : emailOf(name);
  return { name, address: `${local}@${ctx.letter.ministry.domain}` };
}

function foreignId(r: Rng, host: string, style = r.int(5)): string {
  switch (style) {
    case 0:
      return `<${r.alnum(4).toUpperCase()}PR${r.between(10, 99)}MB${r.between(1000, 9999)}${r.alnum(10).toUpperCase()}@${r.alnum(4).toUpperCase()}PR${r.between(10, 99)}MB${r.between(1000, 9999)}.eurprd${r.between(10, 99)}.prod.outlook.com>`;
    case 1:
      return `<CA${r.alnum(2)}${r.alnum(40)}@mail.gmail.com>`;
    case 2:
      return `<${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}@${host}>`;
    case 3:
      return `<${r.hex(16)}.${r.between(100000, 999999)}@${host}>`;
    default:
      return `<${r.alnum(12)}.${r.alnum(6)}@${host}>`;
  }
}

const minutesAfter = (d: Date, min: number) => new Date(d.getTime() + min * 60_000);

function received(r: Rng, from: string, by: string, date: Date, envelopeTo: string): string {
  return `Received: from ${from} (${from} [${r.between(1, 223)}.${r.int(256)}.${r.int(256)}.${r.between(1, 254)}])\n\tby ${by} (Postfix) with ESMTPS id 4${r.alnum(11)}\n\tfor <${envelopeTo}>; ${rfc5322Date(date)}`;
}

/** What the mail host puts on top when it delivers into the mailbox (not always there). */
function delivery(r: Rng, envelopeTo: string, returnPath: string, date: Date, always = false): string {
  const lines = [`Return-Path: ${returnPath}`];
  if (always || r.chance(0.7)) lines.push(`Delivered-To: ${envelopeTo}`);
  if (r.chance(0.3)) lines.push(`X-Original-To: ${envelopeTo}`);
  lines.push(received(r, `mx${r.between(1, 4)}.mail.example`, "mail.coalition.example", minutesAfter(date, 1), envelopeTo));
  return lines.join("\n");
}

/** The headers of our letter as it went out (what a bounce quotes). */
function originalHeaders(letter: Letter, r: Rng, withReturnPath = true): string {
  const cc = letter.language === "en" ? [] : [`Embassy <embassy.${letter.countryCode.toLowerCase()}@coalition-partners.example>`];
  return [
    ...(withReturnPath ? [`Return-Path: <${letter.verp}>`] : []),
    `Received: from demarche.coalition.example (demarche.coalition.example [192.0.2.10])\n\tby relay.coalition.example (Postfix) with ESMTPSA id 4${r.alnum(11)}\n\tfor <${letter.ministry.address}>; ${rfc5322Date(letter.sentAt)}`,
    `Content-Type: multipart/mixed; boundary="--_NmP-${r.hex(16)}-Part_1"`,
    `From: ${mailbox(`${letter.organisation.name} via Demarche`, PLATFORM)}`,
    `Reply-To: ${r.chance(0.5) ? letter.replyAddress : mailbox(letter.organisation.name, letter.organisation.address)}`,
    `To: ${mailbox(letter.ministry.name, letter.ministry.address)}`,
    ...(cc.length ? [`Cc: ${cc.join(", ")}`] : []),
    `Subject: ${encodeWords(letter.subject)}`,
    `Message-ID: ${letter.messageId}`,
    `Date: ${rfc5322Date(letter.sentAt)}`,
    "MIME-Version: 1.0",
  ].join("\n");
}

/** Our letter in full, as a bounce that returns the whole message quotes it (attachment cut short). */
function originalMessage(letter: Letter, r: Rng): string {
  const boundary = `--_NmP-${r.hex(16)}-Part_1`;
  return `${originalHeaders(letter, r).replace(/boundary="[^"]+"/, `boundary="${boundary}"`)}\n\n${multipart(boundary, [
    textPart("plain", LETTER_BODY(letter.organisation.name), { cte: "quoted-printable" }),
    `Content-Type: application/pdf; name="letter-${letter.countryCode}.pdf"\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment; filename="letter-${letter.countryCode}.pdf"\n\n${base64(Buffer.concat([Buffer.from("%PDF-1.7\n"), r.bytes(1200)]))}`,
  ])}`;
}

function quoteLines(text: string): string {
  return text.split("\n").map((l) => (l ? `> ${l}` : ">")).join("\n");
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const paragraphsHtml = (text: string, p = (t: string) => `<p>${t}</p>`) => text.split(/\n\n+/).map((para) => p(escapeHtml(para).replace(/\n/g, "<br>\n"))).join("\n");

function pdf(r: Rng, kb: number): Buffer {
  return Buffer.concat([Buffer.from("%PDF-1.6\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n", "latin1"), r.bytes(kb * 1024), Buffer.from("\n%%EOF\n")]);
}

// ---------------------------------------------------------------------------------------
// Replies (30%).

type Threading = "in-reply-to" | "references" | "both" | "none" | "foreign-in-reply-to";
type Client = "thunderbird" | "apple" | "outlook" | "gmail" | "case-system" | "webmail";

function replyTo(ctx: Ctx, { threading, to, client, body, longChain = false }: { threading: Threading; to: "platform" | "reply-address" | "bcc"; client: Client; body: "plain" | "alt" | "html-only" | "attachment" | "signed"; longChain?: boolean }, format: string): CorpusMessage {
  const { r, letter, date } = ctx;
  const lang: Language = r.chance(0.25) ? "en" : letter.language;
  const who = official(ctx, lang);
  const ministry = lang === "en" && letter.language !== "en" ? `Ministry of Foreign Affairs (${letter.countryCode})` : letter.ministry.name;
  const text = r.pick(REPLY_BODY[lang](ministry));
  const prefix = r.pick(REPLY_PREFIX[lang]);
  const subject = client === "case-system" ? `${lang === "nb" ? "Svar på henvendelse" : lang === "de" ? "Ihr Schreiben vom 23.11.2026" : lang === "fr" ? "Réponse à votre courrier" : lang === "es" ? "Respuesta a su carta" : lang === "ar" ? "رد على رسالتكم" : "Response to your letter"} - ${r.between(20, 26)}/${r.between(1000, 9999)}-${r.between(1, 9)}` : `${prefix}${letter.subject}`;
  const host = client === "outlook" ? "eurprd.prod.outlook.com" : client === "gmail" ? "mail.gmail.com" : letter.ministry.domain;
  const ownId = client === "outlook" ? foreignId(r, host, 0) : client === "gmail" ? foreignId(r, host, 1) : foreignId(r, letter.ministry.domain, 2 + r.int(3));
  const internal = [foreignId(r, letter.ministry.domain, 2), foreignId(r, letter.ministry.domain, 0)];
  const chain = longChain
    ? [foreignId(r, "lists.coalition.example", 3), foreignId(r, "coalition.example", 4), letter.messageId, ...Array.from({ length: r.between(3, 7) }, () => foreignId(r, letter.ministry.domain, r.int(5)))]
    : threading === "foreign-in-reply-to" ? [letter.messageId, ...internal] : r.chance(0.3) ? [letter.messageId, internal[0]] : [letter.messageId];
  const headers: string[] = [];
  const toLine =
    to === "reply-address" ? `To: ${letter.replyAddress}${r.chance(0.3) ? `\nCc: ${mailbox(letter.organisation.name, letter.organisation.address)}` : ""}`
    : to === "bcc" ? "To: undisclosed-recipients:;"
    : r.chance(0.5) ? `To: ${mailbox(`${letter.organisation.name} via Demarche`, PLATFORM)}` : `To: ${mailbox(letter.organisation.name, letter.organisation.address)}\nCc: ${mailbox("Demarche", PLATFORM)}`;
  const envelopeTo = to === "platform" ? PLATFORM : letter.replyAddress;
  // Bcc'd, the envelope address is only in what the mail host adds (here always).
  headers.push(delivery(r, envelopeTo, `<${who.address}>`, date, to === "bcc"));
  const fromLine = client === "case-system" ? `From: ${mailbox(letter.ministry.name, letter.ministry.address)}` : `From: ${mailbox(who.name, who.address)}`;
  headers.push(fromLine, toLine, `Subject: ${encodeWords(subject, { encoding: r.chance(0.5) ? "B" : "Q" })}`, `Date: ${rfc5322Date(date, letter.ministry.tz)}`, `Message-ID: ${ownId}`);
  if (threading === "in-reply-to" || threading === "both") headers.push(`In-Reply-To: ${letter.messageId}`);
  if (threading === "foreign-in-reply-to") headers.push(`In-Reply-To: ${chain[chain.length - 1]}`);
  if (threading === "references" || threading === "both" || threading === "foreign-in-reply-to") headers.push(`References: ${chain.join("\n ")}`);
  if (client === "outlook") {
    headers.push(`Thread-Topic: ${encodeWords(letter.subject)}`, `Thread-Index: A${r.alnum(30)}==`, `Accept-Language: ${lang}-${letter.countryCode}, en-US`, `Content-Language: ${lang}-${letter.countryCode}`, "X-MS-Has-Attach: " + (body === "attachment" ? "yes" : ""), "X-MS-TNEF-Correlator:");
    if (r.chance(0.3)) headers.push("X-Auto-Response-Suppress: All");
  } else if (client === "thunderbird") headers.push("User-Agent: Mozilla Thunderbird", `Content-Language: ${lang}`);
  else if (client === "apple") headers.push("X-Mailer: Apple Mail (2.3826.300.87.4.3)");
  else if (client === "case-system") headers.push(`X-Mailer: ${r.pick(["Public 360 Mail Service", "Elements Case Management", "ePhorte", "Fabasoft eGov-Suite", "OpenText Content Server"])}`, `X-Case-Reference: ${r.between(20, 26)}/${r.between(1000, 9999)}`);
  headers.push("MIME-Version: 1.0");
  if (r.chance(0.15)) headers.push("Importance: high", "X-Priority: 1");

  const sentLabel = rfc5322Date(letter.sentAt, letter.ministry.tz);
  const quotedPlain =
    client === "outlook"
      ? `\n\n${OUTLOOK_LABELS[lang][0]} ${letter.organisation.name} via Demarche <${PLATFORM}>\n${OUTLOOK_LABELS[lang][1]} ${sentLabel}\n${OUTLOOK_LABELS[lang][2]} ${letter.ministry.name} <${letter.ministry.address}>\n${OUTLOOK_LABELS[lang][4]} ${letter.subject}\n\n${LETTER_BODY(letter.organisation.name)}`
      : client === "case-system" ? "" : `\n\n${ATTRIBUTION[lang](sentLabel, `${letter.organisation.name} via Demarche <${PLATFORM}>`)}\n${quoteLines(LETTER_BODY(letter.organisation.name))}`;
  const plain = `${text}${quotedPlain}`;
  const html = client === "outlook"
    ? `<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" xmlns="http://www.w3.org/TR/REC-html40">\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n<meta name="Generator" content="Microsoft Word 15 (filtered medium)">\n<style><!--\n/* Font Definitions */\n@font-face {font-family:"Cambria Math"; panose-1:2 4 5 3 5 4 6 3 2 4;}\np.MsoNormal, li.MsoNormal, div.MsoNormal {margin:0cm; font-size:11.0pt; font-family:"Calibri",sans-serif;}\n--></style>\n</head>\n<body lang="${lang.toUpperCase()}" link="#0563C1" vlink="#954F72" style="word-wrap:break-word"${lang === "ar" ? ' dir="rtl"' : ""}>\n<div class="WordSection1">\n${paragraphsHtml(text, (t) => `<p class="MsoNormal">${t}<o:p></o:p></p>`)}\n<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">\n<p class="MsoNormal"><b>${OUTLOOK_LABELS[lang][0]}</b> ${escapeHtml(letter.organisation.name)} via Demarche &lt;${PLATFORM}&gt;<br>\n<b>${OUTLOOK_LABELS[lang][1]}</b> ${sentLabel}<br>\n<b>${OUTLOOK_LABELS[lang][2]}</b> ${escapeHtml(letter.ministry.name)} &lt;${letter.ministry.address}&gt;<br>\n<b>${OUTLOOK_LABELS[lang][4]}</b> ${escapeHtml(letter.subject)}<o:p></o:p></p>\n</div>\n${paragraphsHtml(LETTER_BODY(letter.organisation.name), (t) => `<p class="MsoNormal">${t}<o:p></o:p></p>`)}\n</div>\n</body>\n</html>`
    : client === "gmail"
      ? `<div dir="${lang === "ar" ? "rtl" : "ltr"}">${paragraphsHtml(text, (t) => `<div>${t}</div><div><br></div>`)}</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">${escapeHtml(ATTRIBUTION[lang](sentLabel, `${letter.organisation.name} via Demarche &lt;${PLATFORM}&gt;`))}<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">${paragraphsHtml(LETTER_BODY(letter.organisation.name))}</blockquote></div>`
      : `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title><style>body{font-family:Arial,sans-serif;font-size:10pt}</style><script>window.location='https://tracker.example/'</script></head><body${lang === "ar" ? ' dir="rtl"' : ""}>${paragraphsHtml(text)}<img src="https://${letter.ministry.domain}/logo.png" alt="Logo"><hr><blockquote>${paragraphsHtml(LETTER_BODY(letter.organisation.name))}</blockquote></body></html>`;
  const latinOk = lang !== "ar" && !/[^\x00-\xff]/.test(plain);
  const charset = latinOk && r.chance(0.3) ? "ISO-8859-1" : "UTF-8";
  const cte = r.weighted([["quoted-printable", 5], ["base64", 3], ["8bit", 2]] as const);
  const plainPart = () => textPart("plain", plain, { charset, cte });
  const boundary = (tag: string) => `${tag}_${r.hex(24)}`;
  let mime: string;
  if (body === "plain") mime = plainPart();
  else if (body === "html-only") mime = textPart("html", html, { cte: r.chance(0.5) ? "base64" : "quoted-printable" });
  else {
    const alt = boundary("_000");
    const alternative = `Content-Type: multipart/alternative; boundary="${alt}"\n\n${multipart(alt, [plainPart(), textPart("html", html, { cte: "quoted-printable" })])}`;
    if (body === "alt") mime = alternative;
    else if (body === "attachment") {
      const mixed = boundary("_004");
      const files = [
        lang === "nb" ? "Svar fra Utenriksdepartementet.pdf" : lang === "de" ? "Antwortschreiben_Völkerrecht.pdf" : lang === "fr" ? "Réponse du Ministère.pdf" : lang === "es" ? "Respuesta_Cancillería.pdf" : lang === "ar" ? "رد الوزارة.pdf" : "Reply from the Ministry.pdf",
      ];
      if (r.chance(0.3)) files.push(`${r.between(20, 26)}-${r.between(1000, 9999)}-${r.between(1, 9)} Vedlegg.docx`);
      const parts = [r.chance(0.5) ? alternative : plainPart()];
      for (const f of files) {
        const names = fileNameParams(f, r.chance(0.5) ? "rfc2231" : "encoded-word");
        const type = f.endsWith(".pdf") ? "application/pdf" : "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        parts.push(`Content-Type: ${type}; ${names.type}\nContent-Description: ${encodeWords(f)}\nContent-Disposition: attachment; ${names.disposition}; size=${r.between(20, 200) * 1024}\nContent-Transfer-Encoding: base64\n\n${base64(pdf(r, r.weighted([[8, 3], [40, 4], [120, 2], [300, 1]] as const)))}`);
      }
      mime = `Content-Type: multipart/mixed; boundary="${mixed}"\n\n${multipart(mixed, parts, "This is a multi-part message in MIME format.")}`;
    } else {
      // S/MIME signed (detached): many ministries sign their mail.
      const signed = boundary("----=_Part_signed");
      mime = `Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="${signed}"\n\n${multipart(signed, [
        alternative,
        `Content-Type: application/pkcs7-signature; name="smime.p7s"\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment; filename="smime.p7s"\nContent-Description: S/MIME Cryptographic Signature\n\n${base64(r.bytes(r.between(3000, 6000)))}`,
      ], "This is a cryptographically signed message in MIME format.")}`;
    }
  }
  const raw = `${headers.join("\n")}\n${mime}`;
  return { raw: crlf(raw), truth: { kind: "reply", token: letter.token, severity: null, format, variant: `${client}, ${lang}, ${body}, to ${to}` } };
}

const REPLY_FORMATS: [string, number, (ctx: Ctx, format: string) => CorpusMessage][] = [
  ["reply/in-reply-to", 14, (c, f) => replyTo(c, { threading: "in-reply-to", to: "platform", client: c.r.pick(["thunderbird", "apple", "webmail"] as const), body: c.r.chance(0.8) ? "plain" : "alt" }, f)],
  ["reply/references-only", 8, (c, f) => replyTo(c, { threading: "references", to: "platform", client: c.r.pick(["webmail", "apple", "thunderbird"] as const), body: "plain" }, f)],
  ["reply/both-outlook", 16, (c, f) => replyTo(c, { threading: "both", to: c.r.chance(0.3) ? "reply-address" : "platform", client: "outlook", body: "alt" }, f)],
  ["reply/both-gmail", 10, (c, f) => replyTo(c, { threading: "both", to: c.r.chance(0.3) ? "reply-address" : "platform", client: "gmail", body: "alt" }, f)],
  ["reply/reply-address-only", 8, (c, f) => replyTo(c, { threading: "none", to: "reply-address", client: c.r.pick(["case-system", "webmail"] as const), body: c.r.chance(0.5) ? "attachment" : "plain" }, f)],
  ["reply/html-only", 8, (c, f) => replyTo(c, { threading: c.r.chance(0.5) ? "in-reply-to" : "both", to: c.r.chance(0.3) ? "reply-address" : "platform", client: "webmail", body: "html-only" }, f)],
  ["reply/attachment", 10, (c, f) => replyTo(c, { threading: "both", to: c.r.chance(0.4) ? "reply-address" : "platform", client: c.r.pick(["outlook", "case-system", "gmail"] as const), body: "attachment" }, f)],
  ["reply/smime-signed", 4, (c, f) => replyTo(c, { threading: "both", to: "platform", client: "outlook", body: "signed" }, f)],
  ["reply/long-references", 4, (c, f) => replyTo(c, { threading: "references", to: "platform", client: "thunderbird", body: "plain", longChain: true }, f)],
  ["reply/forwarded-internally", 4, (c, f) => replyTo(c, { threading: "foreign-in-reply-to", to: "platform", client: "outlook", body: "alt" }, f)],
  // A ministry answering many organisations at once: Bcc to each letter's reply address.
  ["reply/bcc-reply-address", 2, (c, f) => replyTo(c, { threading: "none", to: "bcc", client: "outlook", body: "alt" }, f)],
];

// ---------------------------------------------------------------------------------------
// RFC 3464 delivery status notifications (25%).

type DsnAction = "failed" | "delayed" | "delivered" | "relayed";

interface DsnCase {
  action: DsnAction;
  status: string;
  diagnostic: string | null;
}

const HARD: DsnCase[] = [
  { action: "failed", status: "5.1.1", diagnostic: "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table" },
  { action: "failed", status: "5.7.1", diagnostic: "550 5.7.1 Message rejected due to content restrictions" },
  { action: "failed", status: "5.2.2", diagnostic: "552 5.2.2 <{rcpt}>: Mailbox full" },
  { action: "failed", status: "5.4.4", diagnostic: null },
];
const SOFT: DsnCase[] = [
  { action: "failed", status: "4.4.1", diagnostic: null },
  { action: "failed", status: "4.7.0", diagnostic: "421 4.7.0 Temporary System Problem. Try again later" },
];

function dsnCaseFor(r: Rng, kind: "hard" | "soft" | "delayed" | "delivered"): DsnCase {
  if (kind === "hard") return r.pick(HARD);
  if (kind === "soft") return r.pick(SOFT);
  if (kind === "delayed") return { action: "delayed", status: "4.4.1", diagnostic: r.chance(0.5) ? "450 4.2.0 <{rcpt}>: Recipient address rejected: Greylisted, see https://postgrey.example/" : null };
  return r.chance(0.7) ? { action: "delivered", status: "2.0.0", diagnostic: null } : { action: "relayed", status: "2.0.0", diagnostic: null };
}

const truthOfCase = (c: DsnCase): Pick<Truth, "kind" | "severity"> =>
  c.action === "failed" ? { kind: "bounce", severity: c.status.startsWith("4") ? "soft" : "hard" } : c.action === "delayed" ? { kind: "delayed", severity: null } : { kind: "delivered", severity: null };

function dsnTo(ctx: Ctx): { to: string; verp: boolean } {
  // Most come to the VERP address; a relay that allows no VERP (BOUNCE_DOMAIN=none) returns them to the From address.
  return ctx.r.chance(0.85) ? { to: ctx.letter.verp, verp: true } : { to: PLATFORM, verp: false };
}

function postfixDsn(ctx: Ctx, kind: "hard" | "soft" | "delayed" | "delivered", format: string, { multi = false, utf8 = false } = {}): CorpusMessage {
  const { r, letter, date } = ctx;
  const c = dsnCaseFor(r, kind);
  const host = r.pick(["relay.coalition.example", "smtp-out.coalition.example"]);
  const { to, verp } = dsnTo(ctx);
  const queueId = `4${r.alnum(11)}`;
  const rcpts = multi ? [letter.ministry.address, `embassy.${letter.countryCode.toLowerCase()}@coalition-partners.example`] : [letter.ministry.address];
  const subject = c.action === "failed" ? "Undelivered Mail Returned to Sender" : c.action === "delayed" ? "Delayed Mail (still being retried)" : "Successful Mail Delivery Report";
  const notice =
    c.action === "failed" ? `This is the mail system at host ${host}.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients. It's attached below.\n\nFor further assistance, please send mail to postmaster.\n\nIf you do so, please include this problem report. You can\ndelete your own text from the attached returned message.\n\n                   The mail system\n\n${rcpts.map((a) => `<${a}>: ${c.diagnostic ? `host mx.${letter.ministry.domain}[198.51.100.${r.between(2, 250)}] said: ${c.diagnostic.replace("{rcpt}", a)} (in reply to RCPT TO command)` : c.status.startsWith("4") ? `connect to mx.${letter.ministry.domain}[198.51.100.7]:25: Connection timed out` : `Host or domain name not found. Name service error for name=${letter.ministry.domain} type=MX: Host not found`}`).join("\n\n")}\n`
    : c.action === "delayed" ? `This is the mail system at host ${host}.\n\n####################################################################\n# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n####################################################################\n\nYour message could not be delivered for more than 4 hour(s).\nIt will be retried until it is 5 day(s) old.\n\nFor further assistance, please send mail to postmaster.\n\n                   The mail system\n\n<${rcpts[0]}>: connect to mx.${letter.ministry.domain}[198.51.100.7]:25: Connection timed out\n`
    : `This is the mail system at host ${host}.\n\nYour message was successfully delivered to the destination(s)\nlisted below. If the message was delivered to mailbox you will\nreceive no further notifications. Otherwise you may still receive\nnotifications of mail delivery errors from other systems.\n\n                   The mail system\n\n<${rcpts[0]}>: ${c.action === "relayed" ? "relayed" : "delivery"} via mx.${letter.ministry.domain}[198.51.100.7]:25: 250 2.0.0 Ok: queued as ${r.alnum(10)}\n`;
  const addrType = utf8 ? "utf-8" : "rfc822";
  const perRecipient = rcpts.map((a) => [
    `Final-Recipient: ${addrType}; ${a}`,
    `Original-Recipient: ${addrType};${a}`,
    `Action: ${c.action}`,
    `Status: ${c.status}`,
    `Remote-MTA: dns; mx.${letter.ministry.domain}`,
    ...(c.diagnostic ? [`Diagnostic-Code: smtp; ${c.diagnostic.replace("{rcpt}", a)}`] : c.action === "failed" && c.status.startsWith("5") ? [`Diagnostic-Code: X-Postfix; Host or domain name not found. Name service error for\n    name=${letter.ministry.domain} type=MX: Host not found`] : c.action === "failed" || c.action === "delayed" ? [`Diagnostic-Code: X-Postfix; connect to mx.${letter.ministry.domain}[198.51.100.7]:25: Connection timed out`] : []),
    ...(c.action === "delayed" ? [`Will-Retry-Until: ${rfc5322Date(minutesAfter(letter.sentAt, 5 * 1440))}`] : []),
  ].join("\n"));
  const status = [
    `Reporting-MTA: dns; ${host}`,
    `X-Postfix-Queue-ID: ${queueId}`,
    `X-Postfix-Sender: rfc822; ${letter.verp}`,
    `Arrival-Date: ${rfc5322Date(letter.sentAt)}`,
    "",
    perRecipient.join("\n\n"),
  ].join("\n");
  const boundary = `${queueId}.${r.between(1700000000, 1799999999)}/${host}`;
  const returned = r.chance(0.7) ? `Content-Description: Undelivered Message Headers\nContent-Type: text/rfc822-headers\n\n${originalHeaders(letter, r)}\n` : `Content-Description: Undelivered Message\nContent-Type: message/rfc822\n\n${originalMessage(letter, r)}`;
  const raw = [
    delivery(r, to, "<>", date),
    `Date: ${rfc5322Date(date, 0, { zoneComment: true })}`,
    `From: ${mailbox("Mail Delivery System", `MAILER-DAEMON@${host}`)}`,
    `Subject: ${subject}`,
    `To: ${to}`,
    "Auto-Submitted: auto-replied",
    "MIME-Version: 1.0",
    `Content-Type: multipart/report; report-type=delivery-status;\n\tboundary="${boundary}"`,
    "Content-Transfer-Encoding: 8bit",
    `Message-Id: <${r.alnum(20)}.${r.alnum(8)}@${host}>`,
    "",
    multipart(boundary, [
      `Content-Description: Notification\nContent-Type: text/plain; charset=us-ascii\n\n${notice}`,
      `Content-Description: ${c.action === "failed" ? "Delivery report" : c.action === "delayed" ? "Delay report" : "Delivery report"}\nContent-Type: message/${utf8 ? "global-" : ""}delivery-status\n\n${status}\n`,
      returned,
    ], "This is a MIME-encapsulated message."),
  ].join("\n");
  return { raw: crlf(raw), truth: { ...truthOfCase(c), token: letter.token, format, variant: `${c.action} ${c.status}${verp ? "" : ", no VERP"}${multi ? ", 2 recipients" : ""}` } };
}

function exchangeDsn(ctx: Ctx, kind: "hard" | "delayed" | "delivered", format: string): CorpusMessage {
  const { r, letter, date } = ctx;
  const c: DsnCase =
    kind === "hard" ? r.pick([
      { action: "failed", status: "5.1.10", diagnostic: "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup" },
      { action: "failed", status: "5.7.1", diagnostic: "550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized" },
      { action: "failed", status: "5.4.1", diagnostic: "550 5.4.1 Recipient address rejected: Access denied. AS(201806281)" },
      { action: "failed", status: "5.2.2", diagnostic: "554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded" },
    ] as DsnCase[])
    : kind === "delayed" ? { action: "delayed", status: "4.4.7", diagnostic: "400 4.4.7 Message delayed" }
    : r.chance(0.6) ? { action: "delivered", status: "2.0.0", diagnostic: null } : { action: "relayed", status: "2.0.0", diagnostic: null };
  const onPrem = r.chance(0.5);
  const org = letter.ministry.domain;
  const server = onPrem ? `EX${r.between(1, 9)}.${org}` : `${r.alnum(4).toUpperCase()}PR${r.between(10, 99)}MB${r.between(1000, 9999)}.eurprd${r.between(10, 99)}.prod.outlook.com`;
  const from = onPrem ? mailbox("Microsoft Outlook", `MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@${org}`) : mailbox("Microsoft Outlook", `postmaster@${org.replace(/\..*/, "")}.onmicrosoft.com`);
  const { to, verp } = dsnTo(ctx);
  const subjectPrefix = c.action === "failed" ? "Undeliverable: " : c.action === "delayed" ? "Delivery delayed: " : c.action === "relayed" ? "Relayed: " : "Delivered: ";
  const headersCopy = originalHeaders(letter, r, false);
  const human = c.action === "failed"
    ? `Your message to ${letter.ministry.address} couldn't be delivered.\n\n${letter.ministry.address.split("@")[0]} wasn't found at ${org}.\n\n${letter.organisation.name}    Office 365    ${letter.ministry.address.split("@")[0]}\nAction Required                      Recipient\n\nUnknown To address\n\nHow to Fix It\nThe address may be misspelled or may not exist. Try one or more of the following:\n\n  *   Retype the recipient's address, then resend the message.\n\nDiagnostic information for administrators:\n\nGenerating server: ${server}\n\n${letter.ministry.address}\nRemote Server returned '${c.diagnostic}'\n\nOriginal message headers:\n\n${headersCopy}\n`
    : c.action === "delayed" ? `Delivery is delayed to these recipients or groups:\n\n${letter.ministry.name} (${letter.ministry.address})\n\nSubject: ${letter.subject}\n\nThis message hasn't been delivered yet. Delivery will continue to be attempted.\n\nThe server will keep trying to deliver this message for the next 1 days, 19 hours and 51 minutes. You'll be notified if the message can't be delivered by that time.\n\nDiagnostic information for administrators:\n\nGenerating server: ${server}\nReceiving server: mx.${org}\n\n${letter.ministry.address}\nRemote Server at mx.${org} returned '${c.diagnostic}'\n\nOriginal message headers:\n\n${headersCopy}\n`
    : `Your message has been ${c.action === "relayed" ? "relayed" : "delivered"} to the following recipients:\n\n${letter.ministry.name} (${letter.ministry.address})<mailto:${letter.ministry.address}>\n\nSubject: ${letter.subject}\n`;
  const alt = `B_${r.hex(8)}_${r.hex(8)}`;
  const outer = `A_${r.hex(8)}_${r.hex(8)}`;
  const status = [
    `Reporting-MTA: dns;${server}`,
    `Received-From-MTA: dns;relay.coalition.example`,
    `Arrival-Date: ${rfc5322Date(letter.sentAt, 0, { weekday: true })}`,
    "",
    `Original-Envelope-Id: ${letter.token}`,
    `Final-Recipient: rfc822;${letter.ministry.address}`,
    `Action: ${c.action}`,
    `Status: ${c.status}`,
    ...(c.diagnostic ? [`Diagnostic-Code: smtp;${c.diagnostic}`] : []),
    ...(c.action === "delayed" ? [`Will-Retry-Until: ${rfc5322Date(minutesAfter(letter.sentAt, 2 * 1440))}`, `X-Display-Name: ${letter.ministry.address}`] : []),
  ].join("\n");
  const returned = c.action === "failed" && r.chance(0.6) ? `Content-Type: message/rfc822\n\n${originalMessage(letter, r)}` : `Content-Type: text/rfc822-headers\n\n${headersCopy}\n`;
  const raw = [
    delivery(r, to, "<>", date),
    `From: ${from}`,
    `To: ${to}`,
    `Date: ${rfc5322Date(date, 0)}`,
    `Content-Type: multipart/report; report-type=delivery-status;\n\tboundary="${outer}"`,
    "Content-Language: en-US",
    `Message-ID: <${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}@${server}>`,
    `In-Reply-To: ${letter.messageId}`,
    `References: ${letter.messageId}`,
    `Thread-Topic: ${encodeWords(letter.subject)}`,
    `Subject: ${encodeWords(subjectPrefix + letter.subject)}`,
    "Auto-Submitted: auto-replied",
    "X-MS-Exchange-Message-Is-Ndr:",
    "MIME-Version: 1.0",
    "",
    multipart(outer, [
      `Content-Type: multipart/alternative; differences=Content-Type;\n\tboundary="${alt}"\n\n${multipart(alt, [
        textPart("plain", human, { charset: "us-ascii", cte: "quoted-printable" }),
        textPart("html", `<html><head><meta http-equiv="Content-Type" content="text/html; charset=us-ascii"></head><body><p style="font-family:Segoe UI;font-size:17pt">${paragraphsHtml(human)}</p></body></html>`, { charset: "us-ascii", cte: "quoted-printable" }),
      ])}`,
      `Content-Type: message/delivery-status\n\n${status}\n`,
      returned,
    ]),
  ].join("\n");
  return { raw: crlf(raw), truth: { ...truthOfCase(c), token: letter.token, format, variant: `${c.action} ${c.status}, ${onPrem ? "on-premises" : "Exchange Online"}${verp ? "" : ", no VERP"}` } };
}

function googleDsn(ctx: Ctx, kind: "hard" | "soft" | "delayed", format: string): CorpusMessage {
  const { r, letter, date } = ctx;
  const c: DsnCase =
    kind === "hard" ? r.pick([
      { action: "failed", status: "5.1.1", diagnostic: "550-5.1.1 The email account that you tried to reach does not exist. Please try\n 550-5.1.1 double-checking the recipient's email address for typos or\n 550-5.1.1 unnecessary spaces. For more information, go to\n 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser " + r.alnum(20) + " - gsmtp" },
      { action: "failed", status: "5.7.26", diagnostic: "550-5.7.26 Unauthenticated email from coalition.example is not accepted due to\n 550-5.7.26 domain's DMARC policy. " + r.alnum(20) + " - gsmtp" },
    ] as DsnCase[])
    : kind === "soft" ? { action: "failed", status: "4.4.1", diagnostic: null }
    : { action: "delayed", status: "4.4.1", diagnostic: null };
  const { to, verp } = dsnTo(ctx);
  const outer = `000000000000${r.hex(12)}`;
  const related = `000000000000${r.hex(12)}`;
  const alt = `000000000000${r.hex(12)}`;
  const heading = c.action === "delayed" ? "Message not delivered yet" : c.status === "5.1.1" ? "Address not found" : c.action === "failed" && c.status.startsWith("4") ? "Message not delivered" : "Message blocked";
  const explanation = c.action === "delayed"
    ? `There was a temporary problem delivering your message to ${letter.ministry.address}. Gmail will retry for 46 more hours. You'll be notified if the delivery fails permanently.`
    : c.status === "5.1.1" ? `Your message wasn't delivered to ${letter.ministry.address} because the address couldn't be found, or is unable to receive mail.`
    : c.status.startsWith("4") ? `There was a problem delivering your message to ${letter.ministry.address}. See the technical details below.`
    : `Your message to ${letter.ministry.address} has been blocked. See technical details below for more information.`;
  const plain = `\n** ${heading} **\n\n${explanation}\n\nThe response from the remote server was:\n${c.diagnostic ?? `The recipient server did not accept our requests to connect. Learn more at https://support.google.com/mail/answer/7720 [mx.${letter.ministry.domain}. 198.51.100.7: timed out]`}\n`;
  const status = [
    "Reporting-MTA: dns; googlemail.com",
    `Arrival-Date: ${rfc5322Date(letter.sentAt, -480)}`,
    `X-Original-Message-ID: ${letter.messageId}`,
    "",
    `Final-Recipient: rfc822; ${letter.ministry.address}`,
    `Action: ${c.action}`,
    `Status: ${c.status}`,
    ...(c.diagnostic ? [`Remote-MTA: dns; mx.${letter.ministry.domain}. (198.51.100.7, the server for the domain ${letter.ministry.domain}.)`, `Diagnostic-Code: smtp; ${c.diagnostic}`] : [`Diagnostic-Code: smtp; The recipient server did not accept our requests to connect.`]),
    `Last-Attempt-Date: ${rfc5322Date(date, -480)}`,
    ...(c.action === "delayed" ? [`Will-Retry-Until: ${rfc5322Date(minutesAfter(date, 46 * 60), -480)}`] : []),
  ].join("\n");
  const icon = `Content-Type: image/png; name="icon.png"\nContent-Disposition: attachment; filename="icon.png"\nContent-Transfer-Encoding: base64\nContent-ID: <icon.png>\n\n${base64(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), r.bytes(600)]))}`;
  const raw = [
    delivery(r, to, "<>", date),
    `Received: by 2002:a05:6${r.hex(3)}:${r.hex(4)}:b0:${r.hex(3)}:${r.hex(4)}:${r.hex(4)} with SMTP id ${r.alnum(12)}; ${rfc5322Date(date, -480)}`,
    `From: ${mailbox("Mail Delivery Subsystem", "mailer-daemon@googlemail.com")}`,
    `To: ${to}`,
    "Auto-Submitted: auto-replied",
    "Message-ID: <" + r.hex(16) + "." + r.alnum(20) + "@mx.google.com>",
    `Date: ${rfc5322Date(date, -480)}`,
    `Subject: Delivery Status Notification (${c.action === "delayed" ? "Delay" : "Failure"})`,
    `References: ${letter.messageId}`,
    `In-Reply-To: ${letter.messageId}`,
    `X-Failed-Recipients: ${letter.ministry.address}`,
    "MIME-Version: 1.0",
    `Content-Type: multipart/report; boundary="${outer}"; report-type=delivery-status`,
    "",
    multipart(outer, [
      `Content-Type: multipart/related; boundary="${related}"\n\n${multipart(related, [
        `Content-Type: multipart/alternative; boundary="${alt}"\n\n${multipart(alt, [
          textPart("plain", plain, { charset: "UTF-8", cte: "7bit" }),
          textPart("html", `<html><head><style>* { font-family:Roboto, "Helvetica Neue", Helvetica, Arial, sans-serif; }</style></head><body><table cellpadding="0" cellspacing="0"><tr><td><img src="cid:icon.png" width="24"></td><td><h1>${heading}</h1><p>${escapeHtml(explanation)}</p><p>The response was:</p><p style="font-family:monospace">${escapeHtml(c.diagnostic ?? "The recipient server did not accept our requests to connect.")}</p></td></tr></table></body></html>`, { charset: "UTF-8", cte: "quoted-printable" }),
        ])}`,
        icon,
      ])}`,
      `Content-Type: message/delivery-status\n\n${status}\n`,
      r.chance(0.5) ? `Content-Type: message/rfc822\n\n${originalMessage(letter, r)}` : `Content-Type: text/rfc822-headers\n\n${originalHeaders(letter, r)}\n`,
    ]),
  ].join("\n");
  return { raw: crlf(raw), truth: { ...truthOfCase(c), token: letter.token, format, variant: `${c.action} ${c.status}${verp ? "" : ", no VERP"}` } };
}

const DSN_FORMATS: [string, number, (ctx: Ctx, format: string) => CorpusMessage][] = [
  ["dsn/postfix-failed-5xx", 18, (c, f) => postfixDsn(c, "hard", f)],
  ["dsn/postfix-failed-4xx", 6, (c, f) => postfixDsn(c, "soft", f)],
  ["dsn/postfix-delayed", 8, (c, f) => postfixDsn(c, "delayed", f)],
  ["dsn/postfix-delivered", 10, (c, f) => postfixDsn(c, "delivered", f)],
  ["dsn/postfix-2-recipients", 4, (c, f) => postfixDsn(c, "hard", f, { multi: true })],
  ["dsn/postfix-global-utf8", 2, (c, f) => postfixDsn(c, "hard", f, { utf8: true })],
  ["dsn/exchange-failed", 14, (c, f) => exchangeDsn(c, "hard", f)],
  ["dsn/exchange-delivered", 8, (c, f) => exchangeDsn(c, "delivered", f)],
  ["dsn/exchange-delayed", 5, (c, f) => exchangeDsn(c, "delayed", f)],
  ["dsn/google-failed-5xx", 12, (c, f) => googleDsn(c, "hard", f)],
  ["dsn/google-failed-4xx", 4, (c, f) => googleDsn(c, "soft", f)],
  ["dsn/google-delayed", 5, (c, f) => googleDsn(c, "delayed", f)],
];

// ---------------------------------------------------------------------------------------
// Bounces in the older, non-standard forms (10%): a mailer daemon's prose, our headers quoted.

function plainBounce(ctx: Ctx, headers: string[], body: string, truth: Pick<Truth, "kind" | "severity">, format: string, variant: string, to: { to: string; verp: boolean }): CorpusMessage {
  const raw = [delivery(ctx.r, to.to, "<>", ctx.date), ...headers, "", body].join("\n");
  return { raw: crlf(raw), truth: { ...truth, token: ctx.letter.token, format, variant: `${variant}${to.verp ? "" : ", no VERP"}` } };
}

function qmailBounce(ctx: Ctx, soft: boolean, format: string): CorpusMessage {
  const { r, letter, date } = ctx;
  const host = `mx${r.between(1, 3)}.${letter.ministry.domain}`;
  const to = dsnTo(ctx);
  const local = r.chance(0.5);
  const reason = soft
    ? `<${letter.ministry.address}>:\nI'm not going to try again; this message has been in the queue too long.\nConnected to 198.51.100.9 but connection died. (#4.4.2)`
    : local ? `<${letter.ministry.address}>:\nSorry, no mailbox here by that name. (#5.1.1)`
    : `<${letter.ministry.address}>:\n198.51.100.25 does not like recipient.\nRemote host said: 550 5.1.1 <${letter.ministry.address}>: Recipient address rejected: User unknown\nGiving up on 198.51.100.25.`;
  const body = `Hi. This is the qmail-send program at ${host}.\nI'm afraid I wasn't able to deliver your message to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n${reason}\n\n--- Below this line is a copy of the message.\n\n${originalHeaders(letter, r)}\n\n${LETTER_BODY(letter.organisation.name)}`;
  const headers = [
    `Date: ${rfc5322Date(date, 0, { weekday: false })}`,
    `From: MAILER-DAEMON@${host}`,
    `To: ${to.to}`,
    "Subject: failure notice",
  ];
  if (r.chance(0.7)) headers.push(`Message-ID: <${r.between(1000000000, 1999999999)}.${r.between(1000, 99999)}.qmail@${host}>`);
  return plainBounce(ctx, headers, body, { kind: "bounce", severity: soft ? "soft" : "hard" }, format, soft ? "queue too long (#4.4.2)" : local ? "no mailbox (#5.1.1)" : "remote 550 5.1.1", to);
}

function eximBounce(ctx: Ctx, delayed: boolean, format: string): CorpusMessage {
  const { r, letter, date } = ctx;
  const host = `mail.${letter.ministry.domain}`;
  const id = `1${r.alnum(5)}-000${r.alnum(2)}-${r.alnum(2)}`;
  const to = dsnTo(ctx);
  const headers = [
    `From: ${mailbox("Mail Delivery System", `Mailer-Daemon@${host}`)}`,
    `To: ${to.to}`,
    delayed ? `Subject: Warning: message ${id} delayed 24 hours` : "Subject: Mail delivery failed: returning message to sender",
    `Message-Id: <E${id}@${host}>`,
    ...(delayed ? [] : [`X-Failed-Recipients: ${letter.ministry.address}`]),
    "Auto-Submitted: auto-replied",
    `Date: ${rfc5322Date(date, letter.ministry.tz)}`,
  ];
  const hard = r.pick([
    `  ${letter.ministry.address}\n    host mx.${letter.ministry.domain} [198.51.100.25]\n    SMTP error from remote mail server after RCPT TO:<${letter.ministry.address}>:\n    550 5.1.1 <${letter.ministry.address}>... User unknown`,
    `  ${letter.ministry.address}\n    Unrouteable address`,
    `  ${letter.ministry.address}\n    host mx.${letter.ministry.domain} [198.51.100.25]\n    SMTP error from remote mail server after end of data:\n    550 Administrative prohibition`,
  ]);
  const body = delayed
    ? `This message was created automatically by mail delivery software.\nA message that you sent has not yet been delivered to one or more of its\nrecipients after more than 24 hours on the queue on ${host}.\n\nThe message identifier is:     ${id}\nThe subject of the message is: ${encodeWords(letter.subject)}\nThe date of the message is:    ${rfc5322Date(letter.sentAt)}\n\nThe address to which the message has not yet been delivered is:\n\n  ${letter.ministry.address}\n    host mx.${letter.ministry.domain} [198.51.100.25]\n    Delay reason: SMTP error from remote mail server after RCPT TO:<${letter.ministry.address}>:\n    451 4.7.1 Greylisting in action, please come back later\n\nNo action is required on your part. Delivery attempts will continue for\nsome time, and this warning may be repeated at intervals if the message\nremains undelivered. Eventually the mail delivery software will give up,\nand when that happens, the message will be returned to you.\n\n------ This is a copy of the message's headers. ------\n\n${originalHeaders(letter, r)}\n`
    : `This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n${hard}\n\n------ This is a copy of the message, including all the headers. ------\n\n${originalHeaders(letter, r)}\n\n${LETTER_BODY(letter.organisation.name)}`;
  return plainBounce(ctx, headers, body, delayed ? { kind: "delayed", severity: null } : { kind: "bounce", severity: "hard" }, format, delayed ? "delay warning, 451 4.7.1" : hard.includes("550 5.1.1") ? "550 5.1.1" : hard.includes("Unrouteable") ? "unrouteable address (no code)" : "550 after end of data", to);
}

function sendmailBounce(ctx: Ctx, delayed: boolean, format: string): CorpusMessage {
  const { r, letter, date } = ctx;
  const host = `smtp.${letter.ministry.domain}`;
  const to = dsnTo(ctx);
  const headers = [
    `Date: ${rfc5322Date(date, letter.ministry.tz)}`,
    `From: ${mailbox("Mail Delivery Subsystem", `MAILER-DAEMON@${host}`)}`,
    `Message-Id: <${r.between(200000000, 299999999)}${r.alnum(6)}.${r.alnum(8)}@${host}>`,
    `To: <${to.to}>`,
    delayed ? "Subject: Warning: could not send message for past 4 hours" : r.chance(0.7) ? "Subject: Returned mail: see transcript for details" : "Subject: Returned mail: User unknown",
    ...(r.chance(0.5) ? [`Auto-Submitted: auto-generated (${delayed ? "warning-timeout" : "failure"})`] : []),
  ];
  const received = `The original message was received at ${rfc5322Date(letter.sentAt, letter.ministry.tz)}\nfrom relay.coalition.example [192.0.2.10]`;
  const body = delayed
    ? `    **********************************************\n    **      THIS IS A WARNING MESSAGE ONLY      **\n    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **\n    **********************************************\n\n${received}\n\n   ----- Transcript of session follows -----\n<${letter.ministry.address}>... Deferred: Connection timed out with mail.${letter.ministry.domain}.\nWarning: message still undelivered after 4 hours\nWill keep trying until message is 5 days old\n\n   ----- Original message follows -----\n\n${originalHeaders(letter, r)}\n\n${LETTER_BODY(letter.organisation.name)}`
    : `${received}\n\n   ----- The following addresses had permanent fatal errors -----\n<${letter.ministry.address}>\n    (reason: 550 5.1.1 <${letter.ministry.address}>... User unknown)\n\n   ----- Transcript of session follows -----\n... while talking to mail.${letter.ministry.domain}.:\n>>> RCPT To:<${letter.ministry.address}>\n<<< 550 5.1.1 <${letter.ministry.address}>... User unknown\n550 5.1.1 <${letter.ministry.address}>... User unknown\n\n   ----- Original message follows -----\n\n${originalHeaders(letter, r)}\n\n${LETTER_BODY(letter.organisation.name)}`;
  return plainBounce(ctx, headers, body, delayed ? { kind: "delayed", severity: null } : { kind: "bounce", severity: "hard" }, format, delayed ? "warning: 4 hours, no code" : "550 5.1.1", to);
}

const NONSTANDARD_FORMATS: [string, number, (ctx: Ctx, format: string) => CorpusMessage][] = [
  ["bounce/qmail", 30, (c, f) => qmailBounce(c, false, f)],
  ["bounce/qmail-4xx", 8, (c, f) => qmailBounce(c, true, f)],
  ["bounce/exim", 30, (c, f) => eximBounce(c, false, f)],
  ["bounce/exim-delay-warning", 8, (c, f) => eximBounce(c, true, f)],
  ["bounce/sendmail", 24, (c, f) => sendmailBounce(c, false, f)],
  ["bounce/sendmail-delay-warning", 8, (c, f) => sendmailBounce(c, true, f)],
];

// ---------------------------------------------------------------------------------------
// Auto-replies (15%): never a reply, whatever they cite.

interface AutoOptions {
  subject: string;
  headers: string[];
  text: string;
  cite: boolean;
  /** Where it is sent: the envelope sender (RFC 3834 says so), our reply address, or the From address. */
  to: "verp" | "reply-address" | "platform";
  html?: boolean;
}

function autoReply(ctx: Ctx, o: AutoOptions, format: string, lang: Language): CorpusMessage {
  const { r, letter, date } = ctx;
  const who = official(ctx, lang);
  const to = o.to === "verp" ? letter.verp : o.to === "reply-address" ? letter.replyAddress : PLATFORM;
  const headers = [
    delivery(r, to, `<${who.address}>`, date),
    `From: ${mailbox(who.name, who.address)}`,
    `To: ${to}`,
    `Subject: ${encodeWords(o.subject, { encoding: r.chance(0.5) ? "B" : "Q" })}`,
    `Date: ${rfc5322Date(date, letter.ministry.tz)}`,
    `Message-ID: ${foreignId(r, letter.ministry.domain)}`,
    ...(o.cite ? [`In-Reply-To: ${letter.messageId}`, ...(r.chance(0.7) ? [`References: ${letter.messageId}`] : [])] : []),
    ...o.headers,
    "MIME-Version: 1.0",
  ];
  const alt = `_000_${r.hex(20)}`;
  const body = o.html
    ? `Content-Type: multipart/alternative; boundary="${alt}"\n\n${multipart(alt, [textPart("plain", o.text, { cte: "quoted-printable" }), textPart("html", `<html><body${lang === "ar" ? ' dir="rtl"' : ""}><p>${escapeHtml(o.text)}</p></body></html>`, { cte: "quoted-printable" })])}`
    : textPart("plain", o.text, { cte: r.pick(["quoted-printable", "base64", "8bit"] as const) });
  const token = o.cite || o.to !== "platform" ? letter.token : null;
  return { raw: crlf(`${headers.join("\n")}\n${body}`), truth: { kind: "auto-reply", token, severity: null, format, variant: `${lang}, ${o.cite ? "cites our Message-ID" : "cites nothing"}, to ${o.to}` } };
}

const AUTO_FORMATS: [string, number, (ctx: Ctx, format: string) => CorpusMessage][] = [
  ["auto/exchange-oof", 30, (c, f) => {
    const lang = c.r.chance(0.3) ? "en" : c.letter.language;
    return autoReply(c, { subject: EXCHANGE_OOF_PREFIX[lang] + c.letter.subject, cite: c.r.chance(0.8), to: c.r.weighted([["verp", 6], ["reply-address", 2], ["platform", 2]] as const), html: true, text: OOO_TEXT[lang], headers: ["Auto-Submitted: auto-generated", "X-Auto-Response-Suppress: All", "X-MS-Exchange-Inbox-Rules-Loop: " + c.letter.ministry.address, `Thread-Topic: ${encodeWords(c.letter.subject)}`, `Content-Language: ${lang}-${c.letter.countryCode}`] }, f, lang);
  }],
  ["auto/gmail-vacation", 20, (c, f) => {
    const lang = c.r.chance(0.3) ? "en" : c.letter.language;
    const subjects: Record<Language, string[]> = { en: ["Away until 4 January", `Re: ${c.letter.subject}`], fr: ["En congé jusqu'au 4 janvier", `Re: ${c.letter.subject}`], es: ["De vacaciones hasta el 4 de enero", `Re: ${c.letter.subject}`], de: ["Im Urlaub bis 4. Januar", `Re: ${c.letter.subject}`], nb: ["Ferie til 4. januar", `Re: ${c.letter.subject}`], ar: ["في إجازة حتى 4 يناير", `Re: ${c.letter.subject}`] };
    return autoReply(c, { subject: c.r.pick(subjects[lang]), cite: true, to: c.r.chance(0.5) ? "reply-address" : "platform", html: true, text: OOO_TEXT[lang], headers: ["Auto-Submitted: auto-replied"] }, f, lang);
  }],
  ["auto/sieve-vacation", 12, (c, f) => {
    const lang = c.letter.language;
    return autoReply(c, { subject: c.r.chance(0.7) ? `Auto: ${c.letter.subject}` : c.r.pick(OOO_SUBJECTS[lang]).replace("{s}", c.letter.subject), cite: true, to: "verp", text: OOO_TEXT[lang], headers: ["Auto-Submitted: auto-replied (vacation)", "Precedence: bulk"].slice(0, c.r.chance(0.6) ? 1 : 2) }, f, lang);
  }],
  ["auto/x-autoreply", 10, (c, f) => {
    const lang = c.letter.language;
    return autoReply(c, { subject: c.r.pick(OOO_SUBJECTS[lang]).replace("{s}", c.letter.subject), cite: c.r.chance(0.5), to: c.r.pick(["verp", "reply-address", "platform"] as const), text: OOO_TEXT[lang], headers: c.r.pick([["X-Autoreply: yes"], ["X-Autorespond: " + c.letter.subject.slice(0, 20)], ["X-Autoreply: yes", "Precedence: auto_reply"]]) }, f, lang);
  }],
  ["auto/vacation1-precedence-bulk", 6, (c, f) => autoReply(c, { subject: c.r.pick(["away from my mail", "I am away", `Re: ${c.letter.subject}`]), cite: false, to: "verp", text: "I will not be reading my mail for a while. Your mail concerning the ICC will be read when I'm back.", headers: ["Precedence: bulk"] }, f, "en")],
  ["auto/precedence-auto_reply", 4, (c, f) => {
    const lang = c.letter.language;
    return autoReply(c, { subject: c.r.pick(OOO_SUBJECTS[lang]).replace("{s}", c.letter.subject), cite: c.r.chance(0.5), to: "platform", text: OOO_TEXT[lang], headers: ["Precedence: auto_reply"] }, f, lang);
  }],
  ["auto/subject-only", 12, (c, f) => {
    const lang = c.r.chance(0.2) ? "en" : c.letter.language;
    return autoReply(c, { subject: c.r.pick(OOO_SUBJECTS[lang]).replace("{s}", c.letter.subject), cite: c.r.chance(0.6), to: c.r.chance(0.5) ? "platform" : "reply-address", text: OOO_TEXT[lang], headers: [] }, f, lang);
  }],
  ["auto/acknowledgement", 6, (c, f) => {
    const lang = c.letter.language;
    return autoReply(c, { subject: ACK_SUBJECTS[lang].replace("{s}", `${c.r.between(20, 26)}/${c.r.between(1000, 9999)}`), cite: c.r.chance(0.4), to: c.r.chance(0.5) ? "reply-address" : "platform", text: ACK_TEXT[lang], headers: ["Auto-Submitted: auto-generated", `X-Mailer: ${c.r.pick(["Public 360 Mail Service", "Elements Case Management", "Fabasoft eGov-Suite"])}`] }, f, lang);
  }],
];

// ---------------------------------------------------------------------------------------
// Mail that has nothing to do with our letters (20%).

const NEWSLETTERS = [
  { from: "Human Rights Digest", address: "news@digest.hrnews.example", subjects: ["This week: the ICC under pressure", "Weekly digest: accountability news from 12 countries", "Our 2026 annual report is out"] },
  { from: "Justice Info", address: "newsletter@justiceinfo.example", subjects: ["Le point sur la justice internationale", "Transitional justice: what changed in November"] },
  { from: "EU External Action", address: "no-reply@eeas-newsletter.example", subjects: ["EEAS Newsletter – December 2026", "High Representative statement on the ICC"] },
  { from: "Zoom", address: "no-reply@zoom.example", subjects: ["Your monthly usage summary", "Upcoming changes to your plan"] },
];

const SPAM = [
  { subject: "Your mailbox is almost full", text: "Dear user,\n\nYour mailbox has reached 98% of its storage. Click below to upgrade your quota now or messages will be lost:\nhttp://quota-upgrade.example/login" },
  { subject: "Invoice #{n} overdue", text: "Hello,\n\nPlease find attached the overdue invoice. Payment must be made within 48 hours to avoid additional fees.\n\nAccounts department" },
  { subject: "Re: Partnership proposal", text: "Dear Friend,\n\nI am Barrister Williams, personal attorney to the late Mr. Andrew, who left a sum of US$12.5 million. I need your cooperation to transfer the funds.\n\nReply urgently." },
  { subject: "Sie haben gewonnen!", text: "Herzlichen Glückwunsch! Sie wurden als Gewinner unseres Gewinnspiels ausgewählt. Klicken Sie hier, um Ihren Preis abzuholen." },
  { subject: "Oferta exclusiva para su organización", text: "Estimado cliente, aproveche hoy nuestra oferta exclusiva de servidores con un 70% de descuento." },
  { subject: "Crypto opportunity: 400% in 30 days", text: "Join thousands of investors already earning with our AI trading platform. Limited places." },
  { subject: "Document shared with you: Coalition budget 2027.xlsx", text: "A document has been shared with you. Sign in to view: https://docs-share.example/view?id=8812" },
];

function newsletter(ctx: Ctx, format: string): CorpusMessage {
  const { r, date } = ctx;
  const n = r.pick(NEWSLETTERS);
  const subject = r.pick(n.subjects);
  const id = r.alnum(24);
  const domain = n.address.split("@")[1];
  const precedence = r.weighted([["Precedence: bulk", 5], ["", 5]] as const);
  const alt = `----=_Part_${r.between(100000, 999999)}_${r.between(100000000, 999999999)}.${r.between(1700000000000, 1799999999999)}`;
  const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body style="margin:0;padding:0;background:#f4f4f4"><table width="100%" cellpadding="0" cellspacing="0"><tr><td align="center"><table width="600"><tr><td><img src="https://${domain}/t/open/${id}.gif" width="1" height="1" alt=""><h1>${escapeHtml(subject)}</h1>${"<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit. Integer nec odio. Praesent libero. Sed cursus ante dapibus diam.</p>".repeat(r.between(3, 12))}<p><a href="https://${domain}/c/${id}">Read more</a></p><p style="font-size:11px"><a href="https://${domain}/u/${id}">Unsubscribe</a> | <a href="https://${domain}/prefs/${id}">Manage preferences</a></p></td></tr></table></td></tr></table></body></html>`;
  const raw = [
    delivery(r, PLATFORM, `<bounce-${r.alnum(16)}@${domain}>`, date),
    `From: ${mailbox(n.from, n.address)}`,
    `To: ${PLATFORM}`,
    `Subject: ${encodeWords(subject)}`,
    `Date: ${rfc5322Date(date, 0)}`,
    `Message-ID: <${r.alnum(20)}.${r.between(1000, 9999)}@${domain}>`,
    `List-Unsubscribe: <https://${domain}/u/${id}>, <mailto:unsubscribe-${id}@${domain}?subject=unsubscribe>`,
    "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
    `List-Id: ${n.from} <${r.alnum(8).toLowerCase()}.list-id.${domain}>`,
    `Feedback-ID: ${r.between(100, 999)}:${r.between(1000, 9999)}:${domain}`,
    ...(precedence ? [precedence] : []),
    "X-Mailer: MailerPro 7.2",
    "MIME-Version: 1.0",
    `Content-Type: multipart/alternative; boundary="${alt}"`,
    "",
    multipart(alt, [textPart("plain", `${subject}\n\nRead this newsletter in your browser: https://${domain}/v/${id}\n\nUnsubscribe: https://${domain}/u/${id}`, { cte: "quoted-printable" }), textPart("html", html, { cte: "quoted-printable" })]),
  ].join("\n");
  return { raw: crlf(raw), truth: { kind: "unmatched", token: null, severity: null, format, variant: `${n.from}${precedence ? ", Precedence: bulk" : ""}` } };
}

function mailingList(ctx: Ctx, format: string): CorpusMessage {
  const { r, date } = ctx;
  const people = ["Amira Saleh <amira@ngo-network.example>", "Tomás Rivera <trivera@derechos.example>", "Kari Nordmann <kari@menneskerett.example>"];
  const from = r.pick(people);
  const topic = r.pick(["Coordination call on Thursday", "Draft statement for the ASP side event", "Travel to The Hague"]);
  const replying = r.chance(0.6);
  const raw = [
    delivery(r, PLATFORM, `<icc-ngo-bounces@lists.coalition.example>`, date),
    `From: ${from.replace(/^([^<]+) </, (_, n: string) => `${encodeWords(n.trim())} <`)}`,
    "To: icc-ngo@lists.coalition.example",
    `Subject: ${encodeWords(`${replying ? "Re: " : ""}[icc-ngo] ${topic}`)}`,
    `Date: ${rfc5322Date(date, 60)}`,
    `Message-ID: ${foreignId(r, "ngo-network.example")}`,
    ...(replying ? [`In-Reply-To: ${foreignId(r, "derechos.example")}`, `References: ${foreignId(r, "menneskerett.example")} ${foreignId(r, "derechos.example")}`] : []),
    "List-Id: ICC NGO coordination <icc-ngo.lists.coalition.example>",
    "List-Unsubscribe: <https://lists.coalition.example/mailman/options/icc-ngo>, <mailto:icc-ngo-request@lists.coalition.example?subject=unsubscribe>",
    "List-Post: <mailto:icc-ngo@lists.coalition.example>",
    "List-Archive: <https://lists.coalition.example/pipermail/icc-ngo/>",
    "Precedence: list",
    "Errors-To: icc-ngo-bounces@lists.coalition.example",
    "MIME-Version: 1.0",
    textPart("plain", `Dear all,\n\nA short note on ${topic.toLowerCase()}: please send your comments by Friday.\n\nBest,\n${from.split(" <")[0]}\n_______________________________________________\nicc-ngo mailing list\nicc-ngo@lists.coalition.example\nhttps://lists.coalition.example/mailman/listinfo/icc-ngo`, { cte: "8bit" }),
  ].join("\n");
  return { raw: crlf(raw), truth: { kind: "unmatched", token: null, severity: null, format, variant: replying ? "threaded to list messages" : "new thread" } };
}

function spam(ctx: Ctx, format: string): CorpusMessage {
  const { r, date } = ctx;
  const s = r.pick(SPAM);
  const domain = `${r.alnum(8).toLowerCase()}.example`;
  const subject = s.subject.replace("{n}", String(r.between(10000, 99999)));
  const headers = [
    delivery(r, r.chance(0.7) ? PLATFORM : `info@coalition.example`, `<${r.alnum(10).toLowerCase()}@${domain}>`, date),
    `From: ${mailbox(r.pick(["Support Team", "Mail Administrator", "Accounts", "Lotto Gewinn", "Oferta"]), `${r.alnum(6).toLowerCase()}@${domain}`)}`,
    `To: ${r.chance(0.5) ? PLATFORM : "undisclosed-recipients:;"}`,
    `Subject: ${encodeWords(subject)}`,
    `Date: ${rfc5322Date(date, r.pick([0, -300, 480, 180]))}`,
  ];
  if (r.chance(0.8)) headers.push(`Message-ID: ${foreignId(r, domain)}`);
  if (subject.startsWith("Re:") || r.chance(0.15)) headers.push(`In-Reply-To: ${foreignId(r, domain)}`);
  const bulk = r.chance(0.2);
  if (bulk) headers.push("Precedence: bulk");
  if (r.chance(0.3)) headers.push("X-Mailer: Microsoft Outlook Express 6.00.2900.5512");
  headers.push("MIME-Version: 1.0");
  const html = `<html><body><p>${escapeHtml(s.text).replace(/\n/g, "<br>")}</p><img src="http://${domain}/p.gif"><a href="http://${domain}/x">CLICK HERE</a></body></html>`;
  const body = r.chance(0.5) ? textPart("html", html, { cte: "base64" }) : textPart("plain", s.text, { cte: r.pick(["quoted-printable", "base64", "8bit"] as const) });
  return { raw: crlf(`${headers.join("\n")}\n${body}`), truth: { kind: "unmatched", token: null, severity: null, format, variant: `${subject.replace(/\d+/, "N")}${bulk ? ", Precedence: bulk" : ""}` } };
}

function stranger(ctx: Ctx, citing: boolean, format: string): CorpusMessage {
  const { r, date } = ctx;
  const from = r.pick([
    ["Journalist, Le Quotidien", "redaction@lequotidien.example", "fr"],
    ["Student researcher", "m.okonkwo@university.example", "en"],
    ["Embassy of a State", "chancery@embassy-xy.example", "en"],
    ["Asociación de víctimas", "contacto@victimas.example", "es"],
  ] as const);
  const subject = citing ? r.pick(["Re: Your newsletter of 20 November", "Re: Coalition call on Thursday", "RE: Invitation to the side event"]) : r.pick(["Question about your campaign", "Interview request", "Demande d'information", "Solicitud de reunión"]);
  const text = from[2] === "fr" ? "Bonjour,\n\nPourriez-vous m'indiquer qui contacter au sujet de votre campagne sur la CPI ?\n\nMerci d'avance." : from[2] === "es" ? "Buenos días:\n\nQuisiéramos sumarnos a la próxima carta de la coalición. ¿Cómo podemos hacerlo?\n\nSaludos." : "Hello,\n\nI read about your letters to governments on the ICC. Could someone from the coalition talk to me this week?\n\nThanks.";
  const headers = [
    delivery(r, PLATFORM, `<${from[1]}>`, date),
    `From: ${mailbox(from[0], from[1])}`,
    `To: ${mailbox("Demarche", PLATFORM)}`,
    `Subject: ${encodeWords(subject)}`,
    `Date: ${rfc5322Date(date, 60)}`,
    `Message-ID: ${foreignId(r, from[1].split("@")[1])}`,
  ];
  if (citing) {
    // A Message-ID that is not ours: the coalition's newsletter, a list post, an invitation.
    const cited = r.pick([foreignId(r, "mailchimp.example", 3), foreignId(r, "lists.coalition.example", 4), foreignId(r, "coalition.example", 2)]);
    headers.push(`In-Reply-To: ${cited}`, `References: ${cited}`);
  }
  headers.push("MIME-Version: 1.0", textPart("plain", text, { cte: "quoted-printable" }));
  return { raw: crlf(headers.join("\n")), truth: { kind: "unmatched", token: null, severity: null, format, variant: citing ? "cites a Message-ID not ours" : "new message" } };
}

const UNRELATED_FORMATS: [string, number, (ctx: Ctx, format: string) => CorpusMessage][] = [
  ["unrelated/newsletter", 40, (c, f) => newsletter(c, f)],
  ["unrelated/mailing-list", 10, (c, f) => mailingList(c, f)],
  ["unrelated/spam", 30, (c, f) => spam(c, f)],
  ["unrelated/stranger-citing-other-id", 12, (c, f) => stranger(c, true, f)],
  ["unrelated/stranger", 8, (c, f) => stranger(c, false, f)],
];

// ---------------------------------------------------------------------------------------

export const MIX: [string, number, [string, number, (ctx: Ctx, format: string) => CorpusMessage][]][] = [
  ["reply", 0.3, REPLY_FORMATS],
  ["dsn", 0.25, DSN_FORMATS],
  ["non-standard bounce", 0.1, NONSTANDARD_FORMATS],
  ["auto-reply", 0.15, AUTO_FORMATS],
  ["unrelated", 0.2, UNRELATED_FORMATS],
];

/** `count` messages about `letters`, in a shuffled order, the same for the same seed. */
export function generateCorpus(count: number, letters: Letter[], seed = 12): CorpusMessage[] {
  const r = rng(seed);
  // Exact shares, then shuffled (Fisher-Yates), so a smaller run keeps the mix.
  const groups: number[] = [];
  let assigned = 0;
  MIX.forEach(([, share], g) => {
    const n = g === MIX.length - 1 ? count - assigned : Math.round(count * share);
    for (let i = 0; i < n; i++) groups.push(g);
    assigned += n;
  });
  for (let i = groups.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [groups[i], groups[j]] = [groups[j], groups[i]];
  }
  return groups.map((g, seq) => {
    const letter = r.pick(letters);
    const date = new Date(letter.sentAt.getTime() + (10 + r.int(14 * 24 * 60)) * 60_000);
    const formats = MIX[g][2];
    const [name, , make] = r.weighted(formats.map((f) => [f, f[1]] as const));
    return make({ r, letter, date, seq }, name);
  });
}
