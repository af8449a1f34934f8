import { complaintTypedData } from "@yyl/sdk";
import { getAddress, zeroPadValue } from "ethers";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { hasRole } from "../auth/session.ts";
import { authorizeForPatient } from "../access/facts.ts";
import type { Complaint, Prisma } from "../generated/prisma/client.ts";
import { checkDeadline, domainFor, expectSigner, relay } from "../chain/signed.ts";
import { keepText, textHashOf, textsOf } from "../evidence/texts.ts";
import { badRequest } from "../http/errors.ts";
import {
  Address,
  Bytes32,
  listQuery,
  orderThen,
  pageOf,
  paginateTable,
  SignedFields,
  TimeRange,
  timeWhere,
} from "../http/schemas.ts";
import { findRecord } from "../emr/records.ts";
import { txHashesOf } from "../hospitals/tx-hashes.ts";
import { ROLE_CODES, STATUS_APPROVED } from "../members/codes.ts";
import { namesOf } from "../members/views.ts";
import { patientsActingFor } from "./acting-for.ts";

// Patients' complaints about a hospital, a doctor or a record. The evidence text stays off chain; its
// keccak256 goes on chain with the complaint, and readers see whether the kept text still matches.

const ComplaintSchema = z
  .object({
    complaintId: z.number(),
    patient: z.string(),
    patientName: z.string().nullable(),
    subject: z
      .string()
      .meta({ description: "bytes32 on chain: a member's address left-padded, or a record id" }),
    subjectKind: z.enum(["member", "record"]),
    subjectAddress: z.string().nullable(),
    subjectName: z.string().nullable(),
    evidenceHash: z.string(),
    evidence: z.string().nullable(),
    evidenceMatches: z.boolean().meta({ description: "keccak256(evidence) equals the hash on chain" }),
    signer: z.string(),
    signerName: z.string().nullable(),
    filedAt: z.number(),
    blockNumber: z.number(),
    txHash: z.string().nullable(),
  })
  .meta({ id: "Complaint" });

const ADDRESS_SUBJECT = /^0x0{24}[0-9a-f]{40}$/;
/** A subject that is a left-padded address is read back as that address. */
const subjectAddressOf = (subject: string) =>
  ADDRESS_SUBJECT.test(subject) ? getAddress("0x" + subject.slice(26)) : null;

async function complaintViews(
  ctx: AppContext,
  rows: Complaint[],
): Promise<z.infer<typeof ComplaintSchema>[]> {
  const subjects = rows.map((c) => subjectAddressOf(c.subject));
  const [names, texts, txOf] = await Promise.all([
    namesOf(ctx, [...rows.flatMap((c) => [c.patient, c.signer]), ...subjects]),
    textsOf(
      ctx,
      rows.map((c) => c.evidenceHash),
    ),
    txHashesOf(ctx, rows),
  ]);
  return rows.map((c, i) => {
    const evidence = texts.get(c.evidenceHash) ?? null;
    const subjectAddress = subjects[i]!;
    return {
      complaintId: c.complaintId,
      patient: c.patient,
      patientName: names.get(c.patient) ?? null,
      subject: c.subject,
      subjectKind: subjectAddress ? ("member" as const) : ("record" as const),
      subjectAddress,
      subjectName: subjectAddress ? (names.get(subjectAddress) ?? null) : null,
      evidenceHash: c.evidenceHash,
      evidence,
      evidenceMatches: evidence !== null && textHashOf(evidence) === c.evidenceHash,
      signer: c.signer,
      signerName: names.get(c.signer) ?? null,
      filedAt: Number(c.filedAt),
      blockNumber: c.blockNumber,
      txHash: txOf(c),
    };
  });
}

/** The bytes32 subject: a hospital's or doctor's address left-padded, or a record of the patient. */
async function subjectOf(
  ctx: AppContext,
  patient: string,
  subject: { address?: string; recordId?: string },
): Promise<string> {
  if (subject.address) {
    const m = await ctx.prisma.member.findUnique({ where: { address: subject.address } });
    if (
      !m ||
      m.status !== STATUS_APPROVED ||
      (m.role !== ROLE_CODES.hospital && m.role !== ROLE_CODES.doctor)
    ) {
      throw badRequest("subject is not an approved hospital or doctor", [
        { path: "subject.address", message: "not an approved hospital or doctor" },
      ]);
    }
    return zeroPadValue(subject.address, 32).toLowerCase();
  }
  const record = await findRecord(ctx, subject.recordId!);
  if (record.patient !== patient)
    throw badRequest("the record is not this patient's", [
      { path: "subject.recordId", message: "belongs to another patient" },
    ]);
  return record.recordId;
}

export function registerComplaintRoutes(ctx: AppContext): void {
  const { api, audit, prisma } = ctx;

  api.route({
    method: "post",
    path: "/complaints",
    summary: "File a complaint (patient or guardian)",
    description:
      "The caller (the patient, or a guardian whose delegation has the complaint scope) signs an EIP-712 `Complaint` " +
      "(ConsentManager) with subject = the member's address left-padded to 32 bytes, or the record id, and " +
      "evidenceHash = keccak256(evidence). The evidence text is kept off chain.",
    tags: ["consent"],
    auth: true,
    status: 201,
    body: z
      .object({
        patient: Address,
        subject: z
          .union([z.object({ address: Address }), z.object({ recordId: Bytes32 })])
          .meta({ description: "A hospital or doctor, or a record" }),
        evidence: z.string().trim().min(1, "required").max(5000),
      })
      .extend(SignedFields.shape),
    response: ComplaintSchema,
    errors: [403, 404, 422, 502],
    handler: async ({ body, session, requestId }) => {
      await authorizeForPatient(ctx, session, "complaint.file", body.patient, requestId);
      const subject = await subjectOf(
        ctx,
        body.patient,
        body.subject as { address?: string; recordId?: string },
      );
      checkDeadline(body.deadline);
      const evidenceHash = textHashOf(body.evidence);
      const message = {
        patient: body.patient,
        subject,
        evidenceHash,
        nonce: body.nonce,
        deadline: body.deadline,
      };
      expectSigner(
        complaintTypedData(domainFor(ctx, "ConsentManager"), message),
        body.signature,
        session!.address,
      );
      const receipt = await relay(ctx, "ConsentManager", "fileComplaint", [
        body.patient,
        subject,
        evidenceHash,
        body.nonce,
        body.deadline,
        session!.address,
        body.signature,
      ]);
      await keepText(ctx, "complaint-evidence", body.evidence, session!.address);
      const filed = ctx.chain.contracts.ConsentManager.decodeLogs(receipt).find(
        (e) => e.name === "ComplaintFiled",
      );
      const complaintId = Number(filed!.args.complaintId);
      await audit.allowed(
        session,
        "complaint.file",
        `complaint:${complaintId}`,
        requestId,
        `tx ${receipt.transactionHash}`,
      );
      return (
        await complaintViews(ctx, [await prisma.complaint.findUniqueOrThrow({ where: { complaintId } })])
      )[0]!;
    },
  });

  api.route({
    method: "get",
    path: "/complaints",
    summary: "Complaints with their evidence",
    description:
      "A patient sees their own (and, as guardian, those of the patients they act for); alliance admins and regulators all.",
    tags: ["consent"],
    auth: true,
    query: listQuery(["filedAt"], "filedAt:desc")
      .extend({
        patient: Address.optional(),
        subject: z
          .union([Address.transform((a) => zeroPadValue(a, 32).toLowerCase()), Bytes32])
          .optional()
          .meta({ description: "A member's address or a record id" }),
      })
      .extend(TimeRange.shape),
    response: pageOf(ComplaintSchema),
    errors: [403],
    handler: async ({ query, session, requestId }) => {
      await audit.authorize(session, "complaint.list", "complaints", {}, requestId);
      const s = session!;
      const all = hasRole(s, "alliance-admin") || hasRole(s, "regulator");
      const visible: Prisma.ComplaintWhereInput = all
        ? {}
        : { patient: { in: await patientsActingFor(ctx, s) } };
      const where: Prisma.ComplaintWhereInput = {
        AND: [visible, { patient: query.patient, subject: query.subject, filedAt: timeWhere(query) }],
      };
      const orderBy = orderThen(query.sort, "complaintId", "asc");
      const page = await paginateTable(query, prisma.complaint, where, orderBy, (rows) =>
        complaintViews(ctx, rows),
      );
      await audit.allowed(session, "complaint.list", "complaints", requestId);
      return page;
    },
  });
}
