import { z } from "zod";
import type { AppContext } from "../context.ts";
import { hasRole, type Session } from "../auth/session.ts";
import { operatorOf, relay } from "../chain/signed.ts";
import { keepText } from "../evidence/texts.ts";
import type { Member } from "../generated/prisma/client.ts";
import { badRequest, conflict, notFound } from "../http/errors.ts";
import { Address, Millis } from "../http/schemas.ts";
import { ROLE_CODES, STATUS_APPROVED, STATUS_NAMES } from "./codes.ts";
import {
  CertificationSchema,
  certificationView,
  departmentHashOf,
  profileDepartmentOf,
} from "./certification-view.ts";

// Doctors' certifications (资质认证): a hospital certifies its own approved doctors and may revoke that;
// the transaction is sent by the hospital's operator account, which makes the hospital the certifier.
// The credential and the reason stay off chain; their hashes go on chain.

const AddressParam = z.object({ address: Address });

/**
 * The doctor at `address`, once the caller may certify them (their own hospital); answers the doctor
 * and the audit resource. A hospital asking about an address that is no doctor learns so (404);
 * anyone else is refused first, as for any doctor.
 */
async function doctorToCertify(
  ctx: AppContext,
  session: Session | null,
  address: string,
  requestId: string,
): Promise<{ doctor: Member; resource: string }> {
  const resource = `certification:${address}`;
  const doctor = await ctx.prisma.member.findUnique({ where: { address } });
  if (!doctor || doctor.role !== ROLE_CODES.doctor) {
    if (!hasRole(session, "hospital"))
      await ctx.audit.authorize(session, "member.certify-doctor", resource, {}, requestId);
    throw notFound("doctor");
  }
  const facts = { hospital: doctor.hospital };
  await ctx.audit.authorize(session, "member.certify-doctor", resource, facts, requestId);
  return { doctor, resource };
}

export function registerCertificationRoutes(ctx: AppContext): void {
  const { api, audit } = ctx;

  api.route({
    method: "post",
    path: "/members/:address/certification",
    summary: "Certify one of the hospital's doctors (hospital)",
    description:
      "Sent on chain by the hospital's operator account (AllianceRegistry.certifyDoctor), replacing any earlier certification. " +
      "The credential text (licence, title) is kept off chain; `credentialHash = keccak256(credential)`. " +
      "`department` defaults to the department in the doctor's profile; on chain goes keccak256 of it.",
    tags: ["members"],
    auth: true,
    status: 201,
    params: AddressParam,
    body: z.object({
      credential: z.string().trim().min(1, "required").max(2000),
      department: z.string().trim().min(1).max(64).optional(),
      expiresAt: Millis.meta({ description: "Expiry (ms); must be in the future" }),
    }),
    response: CertificationSchema,
    errors: [403, 404, 409, 422, 502],
    handler: async ({ params, body, session, requestId }) => {
      const { doctor, resource } = await doctorToCertify(ctx, session, params.address, requestId);
      if (doctor.status !== STATUS_APPROVED)
        throw conflict(`the doctor is ${STATUS_NAMES[doctor.status]}, not approved`);
      if (body.expiresAt <= Date.now())
        throw badRequest("expiresAt has passed", [{ path: "expiresAt", message: "must be in the future" }]);
      const operator = await operatorOf(ctx, session!.address);
      const department = body.department ?? (await profileDepartmentOf(ctx, doctor.address));
      const credentialHash = await keepText(ctx, "credential", body.credential, session!.address);
      await relay(
        ctx,
        "AllianceRegistry",
        "certifyDoctor",
        [doctor.address, credentialHash, departmentHashOf(department), body.expiresAt],
        operator,
      );
      await audit.allowed(session, "member.certify-doctor", resource, requestId);
      return certificationView(ctx, doctor);
    },
  });

  api.route({
    method: "post",
    path: "/members/:address/certification/revocation",
    summary: "Revoke a doctor's certification (the doctor's hospital)",
    description:
      "Sent by the hospital's operator account; `reasonHash = keccak256(reason)`, the reason kept off chain.",
    tags: ["members"],
    auth: true,
    params: AddressParam,
    body: z.object({ reason: z.string().trim().min(1, "required").max(500) }),
    response: CertificationSchema,
    errors: [403, 404, 409, 422, 502],
    handler: async ({ params, body, session, requestId }) => {
      const { doctor, resource } = await doctorToCertify(ctx, session, params.address, requestId);
      const cert = await ctx.prisma.doctorCertification.findUnique({ where: { doctor: doctor.address } });
      if (!cert) throw conflict("the doctor has never been certified");
      if (cert.revoked) throw conflict("the doctor's certification is already revoked");
      const operator = await operatorOf(ctx, session!.address);
      const reasonHash = await keepText(ctx, "certification-revocation", body.reason, session!.address);
      await relay(ctx, "AllianceRegistry", "revokeCertification", [doctor.address, reasonHash], operator);
      await audit.allowed(session, "member.certify-doctor", resource, requestId, "revoke");
      return certificationView(ctx, doctor);
    },
  });

  api.route({
    method: "get",
    path: "/members/:address/certification",
    summary: "A doctor's certification, its texts, validity and history",
    description: "For the doctor, their hospital, alliance admins and regulators.",
    tags: ["members"],
    auth: true,
    params: AddressParam,
    response: CertificationSchema,
    errors: [403, 404],
    handler: async ({ params, session, requestId }) => {
      const m = await ctx.prisma.member.findUnique({ where: { address: params.address } });
      const resource = `certification:${params.address}`;
      await audit.authorize(
        session,
        "member.read",
        resource,
        { owner: params.address, hospital: m?.hospital },
        requestId,
      );
      if (!m || m.role !== ROLE_CODES.doctor) throw notFound("doctor");
      const view = await certificationView(ctx, m);
      await audit.allowed(session, "member.read", resource, requestId, "certification");
      return view;
    },
  });
}
