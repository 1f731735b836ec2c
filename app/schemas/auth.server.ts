import { z } from "zod";
import { email, line, password } from "./common.server";

export const LoginSchema = z.object({
  email: email(),
  password: z.string({ error: "Password is required." }).min(1, "Password is required.").max(200, "Password is too long."),
  redirectTo: z.string().optional(),
});

/** "Email me a sign-in link": only the address. */
export const SignInLinkRequestSchema = z.object({ email: email() });

export const ChangePasswordSchema = z
  .object({
    currentPassword: z.string({ error: "Current password is required." }).min(1, "Current password is required."),
    newPassword: password("New password"),
    confirmPassword: z.string({ error: "Repeat the new password." }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "The two new passwords do not match." });

export const RoleSchema = z.enum(["coordinator", "member"], { error: "Choose coordinator or member." });

const organisationId = z.preprocess(
  (v) => (v === "" || v === undefined ? null : v),
  z.coerce.number({ error: "Choose an organisation." }).int().positive().nullable(),
);

export const InviteSchema = z
  .object({ name: line("Name", 120), email: email(), role: RoleSchema, organisationId })
  .refine((v) => v.role === "coordinator" || v.organisationId !== null, {
    path: ["organisationId"],
    message: "A member belongs to an organisation: choose one.",
  });

export const AcceptInvitationSchema = z
  .object({ newPassword: password("Password"), confirmPassword: z.string({ error: "Repeat the password." }) })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "The two passwords do not match." });

export const RoleChangeSchema = z
  .object({ userId: z.coerce.number().int().positive(), role: RoleSchema, organisationId })
  .refine((v) => v.role === "coordinator" || v.organisationId !== null, {
    path: ["organisationId"],
    message: "A member belongs to an organisation: choose one.",
  });

export const ApiTokenSchema = z.object({ name: line("Token name", 80) });
