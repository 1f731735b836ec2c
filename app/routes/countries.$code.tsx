// One state's Rome Statute facts: how and when it joined, and when it left if it did.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { regionalGroupLabel } from "~/lib/regional-groups";
import { getCountriesDataset, getCountry, standingOf, todayUtc } from "~/models/country.server";
import { CountryCodeSchema } from "~/schemas/country.server";
import { getDb } from "~/platform/db.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.country.name} · Countries · Demarche` : "Country not found · Demarche" },
];

function notFound(message: string): Response {
  return new Response(message, { status: 404, statusText: "Not Found" });
}

export async function loader({ params }: LoaderFunctionArgs) {
  const code = CountryCodeSchema.safeParse(params.code ?? "");
  if (!code.success) throw notFound("Country codes are two letters (ISO 3166-1), like NO for Norway.");
  const db = getDb();
  const today = todayUtc();
  const country = await getCountry(db, code.data, today);
  if (!country) throw notFound(`No country has the code ${code.data}.`);
  const dataset = (await getCountriesDataset(db)) ?? null;
  return { country, instrument: country.rs_instrument, standing: standingOf(country, today), today, dataset };
}

const INSTRUMENT_WORDS = {
  ratification: "Ratification",
  accession: "Accession",
  acceptance: "Acceptance",
  approval: "Approval",
  succession: "Succession (bound from independence)",
} as const;

export default function CountryPage() {
  const signedIn = Boolean((useRouteLoaderData("root") as { user?: unknown } | undefined)?.user);
  const { country: c, instrument, standing, today, dataset } = useLoaderData<typeof loader>();
  return (
    <section>
      <p className="breadcrumbs"><Link to="/countries">← All countries</Link></p>
      <h1>{c.name}</h1>
      {signedIn ? <p><Link to={`/countries/${c.code}/recipients`}>Recipients for letters to {c.name}</Link></p> : null}
      <p>
        {standing === "party" ? <span className="badge ok">State party</span> : <span className="badge">Not a party</span>}{" "}
        {standing === "party" && <>Party to the Rome Statute today ({today}), since {c.rs_entry_into_force}.</>}
        {standing === "party" && c.rs_withdrawal_effective && <> Its withdrawal takes effect on {c.rs_withdrawal_effective}.</>}
        {standing === "withdrawn" && <>No longer a party: its withdrawal took effect on {c.rs_withdrawal_effective}.</>}
        {standing === "pending" && <>The Rome Statute enters into force for it on {c.rs_entry_into_force}.</>}
        {standing === "not-party" && <>Not a party to the Rome Statute today ({today}).</>}
      </p>
      <dl className="facts">
        <dt>ISO codes</dt>
        <dd>{c.code} / {c.alpha3}</dd>
        <dt>Regional group</dt>
        <dd>{regionalGroupLabel(c.regional_group)}</dd>
        {c.rs_deposited ? (
          <>
            <dt>Instrument</dt>
            <dd>{instrument ? INSTRUMENT_WORDS[instrument] : "—"}</dd>
            <dt>Deposited</dt>
            <dd>{c.rs_deposited}</dd>
            <dt>Entry into force</dt>
            <dd>{c.rs_entry_into_force}</dd>
          </>
        ) : null}
        {c.rs_withdrawal_notified ? (
          <>
            <dt>Withdrawal notified</dt>
            <dd>{c.rs_withdrawal_notified}</dd>
            <dt>Withdrawal effective</dt>
            <dd>{c.rs_withdrawal_effective}</dd>
          </>
        ) : null}
      </dl>
      {c.rs_entry_into_force ? (
        <p>
          <Link to={`/countries?on=${c.rs_entry_into_force}`}>States parties on {c.rs_entry_into_force}</Link>, the day
          the Statute entered into force for {c.name}.
        </p>
      ) : null}
      <p className="muted">
        {dataset ? <>Source: {dataset.source} Data as of {dataset.as_of}.</> : null}
      </p>
    </section>
  );
}
