import { deidentifyBundle, newExportSalt, PSEUDONYM_SYSTEM, researchAction } from "@yyl/sdk";
import { keccak256, solidityPackedKeccak256, toUtf8Bytes } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiActor } from "../scripts/lib/api-actor.ts";
import { exportForResearch, exportSaltHash, grantRecord } from "../scripts/lib/api-acts.ts";
import { buildAlliance, expectApiError, expectBadField, writeRecord, type Alliance } from "./support/alliance.ts";
import { denials, expectDenied } from "./support/audit.ts";
import { startStack, type Stack } from "./support/stack.ts";

// De-identified research exports through the REST API: hospital B, a member of a research project,
// opens a record it holds a level-2 grant for, de-identifies it in its own client under a fresh salt and
// uploads it; the server checks the membership, the grant level and that nothing identifying is left,
// and keeps the salt's hash only.

const DAY = 86_400_000;
const PHONE = "13812345678";
const NATIONAL_ID = "110101199003071234";

type Bundle = { entry: { resource: { resourceType: string; identifier?: { system: string; value: string }[] } }[] };
type ExportView = {
  id: number;
  saltHash: string;
  hospital: string;
  records: { recordId: string; version: number; bundle?: Bundle }[];
};

let stack: Stack;
let a: Alliance;
let projectId: string;
/** Written for patient A with a phone number and an ID number in the complaint; granted to hospital B at level 2. */
let researchRecord: string;
/** Alliance's shared record: granted to hospital B at level 1 (view) only. */
let viewRecord: string;

const prisma = () => stack.app.context.prisma;
const exportsStored = () => prisma().researchExport.count();

async function signedResearch(path: string, build: (d: Awaited<ReturnType<ApiActor["domain"]>>, s: { nonce: string; deadline: number }) => Parameters<ApiActor["sign"]>[0], body: Record<string, unknown>) {
  const s = ApiActor.freshNonce();
  const signature = await a.admin.sign(build(await a.admin.domain("ResearchAllocation"), s));
  return a.admin.request<{ projectId: string }>("POST", path, { ...body, ...s, signature });
}

async function openProject(title: string, members: string[]): Promise<string> {
  const description = "多中心心血管队列研究";
  const created = await signedResearch(
    "/research/projects",
    (d, s) =>
      researchAction.create(d, {
        projectId: solidityPackedKeccak256(["string", "uint256"], [title, BigInt(s.nonce)]),
        total: "1000",
        descriptionHash: keccak256(toUtf8Bytes(description)),
        ...s,
      }),
    { title, total: "1000", description },
  );
  for (const hospital of members)
    await signedResearch(`/research/projects/${created.projectId}/members`, (d, s) => researchAction.addMember(d, { projectId: created.projectId, hospital, ...s }), { hospital });
  return created.projectId;
}

/** The pseudonymous identifier of the Patient in a de-identified bundle. */
const patientPseudonym = (bundle: Bundle) =>
  bundle.entry.find((e) => e.resource.resourceType === "Patient")!.resource.identifier!.find((i) => i.system === PSEUDONYM_SYSTEM)!.value;

beforeAll(async () => {
  stack = await startStack();
  a = await buildAlliance(stack);
  projectId = await openProject("心血管队列", [a.hospitalB.address]);
  researchRecord = await writeRecord(a.doctorA, a.patientA, a.hospitalA, {
    title: "门诊记录",
    chiefComplaint: `胸闷三天，联系电话 ${PHONE}，身份证 ${NATIONAL_ID}`,
    diagnosis: "心绞痛",
  });
  viewRecord = a.recordId;
  await grantRecord(a.patientA, researchRecord, a.hospitalB.address, "research", Date.now() + DAY);
  await grantRecord(a.patientA, viewRecord, a.hospitalB.address, "view", Date.now() + DAY);
}, 300_000);

afterAll(async () => {
  await stack?.close();
});

describe("exporting under a level-2 grant", () => {
  let first: { export: ExportView; salt: string };

  it("accepts a de-identified record and stores no name, phone, ID number or exact date", async () => {
    const original = await a.hospitalB.readRecord(researchRecord);
    const originalText = JSON.stringify(original.bundle).toLowerCase();
    const exactDate = new Date(Number((original as unknown as { record: { createdAt: number } }).record.createdAt)).toISOString().slice(0, 10);
    // What de-identification must remove is really in the record.
    for (const secret of [PHONE, NATIONAL_ID, a.patientA.address.toLowerCase(), exactDate]) expect(originalText).toContain(secret);

    first = (await exportForResearch(a.hospitalB, projectId, [{ recordId: researchRecord }])) as typeof first;
    expect(first.export).toMatchObject({ hospital: a.hospitalB.address, records: [{ recordId: researchRecord, version: 1 }] });
    const row = await prisma().researchExportRecord.findFirstOrThrow({ where: { exportId: first.export.id } });
    for (const secret of [PHONE, NATIONAL_ID, a.patientA.address, a.doctorA.address, exactDate])
      expect(row.bundle.toLowerCase()).not.toContain(secret.toLowerCase());
    expect(row.bundle).toContain("心绞痛");
  });

  it("keeps the salt's hash, never the salt", async () => {
    const stored = await prisma().researchExport.findUniqueOrThrow({ where: { id: first.export.id } });
    expect(stored.saltHash).toBe(exportSaltHash(first.salt));
    const everything = JSON.stringify([stored, await prisma().researchExportRecord.findMany()], (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    expect(everything).not.toContain(first.salt);
  });

  it("gives the same record different pseudonyms in two exports (different salts)", async () => {
    const second = await exportForResearch(a.hospitalB, projectId, [{ recordId: researchRecord }]);
    expect(second.salt).not.toBe(first.salt);
    const read = (id: number) => a.hospitalB.request<ExportView>("GET", `/research/projects/${projectId}/exports/${id}`);
    const [one, two] = [await read(first.export.id), await read((second.export as ExportView).id)];
    expect(patientPseudonym(one.records[0]!.bundle!)).not.toBe(patientPseudonym(two.records[0]!.bundle!));
    expect(two.saltHash).not.toBe(one.saltHash);
  });

  it("lets a doctor of the member hospital export under the hospital's grant", async () => {
    const done = await exportForResearch(a.doctorB, projectId, [{ recordId: researchRecord }]);
    expect(done.export).toMatchObject({ exporter: a.doctorB.address, hospital: a.hospitalB.address });
  });

  it("lets project members list and read exports, each read audited", async () => {
    const before = await prisma().auditEntry.count({ where: { actor: a.hospitalB.address, action: "research.export.read", outcome: "allowed" } });
    const list = await a.hospitalB.request<{ items: ExportView[] }>("GET", `/research/projects/${projectId}/exports`);
    expect(list.items).toHaveLength(3);
    expect(list.items.every((e) => e.records[0]!.bundle === undefined)).toBe(true);
    await a.hospitalB.request("GET", `/research/projects/${projectId}/exports/${list.items[0]!.id}`);
    expect(await prisma().auditEntry.count({ where: { actor: a.hospitalB.address, action: "research.export.read", outcome: "allowed" } })).toBe(before + 2);
    await expectApiError(a.hospitalB.request("GET", `/research/projects/${projectId}/exports/999999`), 404);
  });
});

describe("refusals", () => {
  it("refuses a record held under a level-1 grant with 403 naming it, recorded, nothing stored", async () => {
    const before = [await exportsStored(), await denials(stack, a.hospitalB, "research.export")];
    const e = await expectApiError(exportForResearch(a.hospitalB, projectId, [{ recordId: viewRecord }]), 403, "FORBIDDEN");
    expect(e.body.error!.message).toContain(viewRecord);
    expect([await exportsStored(), await denials(stack, a.hospitalB, "research.export")]).toEqual([before[0], before[1]! + 1]);
  });

  it("refuses a bundle with an identifier left with 400, nothing stored", async () => {
    const before = await exportsStored();
    const opened = await a.hospitalB.readRecord(researchRecord);
    const upload = (bundle: unknown) =>
      a.hospitalB.request("POST", `/research/projects/${projectId}/exports`, {
        saltHash: exportSaltHash(newExportSalt()),
        records: [{ recordId: researchRecord, version: 1, bundle, report: { removed: [], generalized: [] } }],
      });
    // Not de-identified at all.
    await expectBadField(upload(opened.bundle), "records.0.bundle");
    // De-identified, then a phone number put back into the text.
    const { bundle } = deidentifyBundle(opened.bundle as never, { salt: newExportSalt() });
    const withPhone = JSON.parse(JSON.stringify(bundle).replace("心绞痛", `心绞痛 ${PHONE}`));
    await expectBadField(upload(withPhone), "records.0.bundle");
    // De-identified, then an exact date put back.
    const withDate = JSON.parse(JSON.stringify(bundle).replace(/"date":"(\d{4})"/, '"date":"$1-03-05"'));
    expect(JSON.stringify(withDate)).toMatch(/"date":"\d{4}-03-05"/);
    await expectBadField(upload(withDate), "records.0.bundle");
    expect(await exportsStored()).toBe(before);
  });

  it("refuses non-members of the project, recorded", async () => {
    const before = await exportsStored();
    // Hospital A wrote the record but is no member of the project; patients and admins are none either.
    for (const who of [a.hospitalA, a.doctorA, a.patientA, a.admin]) {
      await expectDenied(
        stack,
        () => who.request("POST", `/research/projects/${projectId}/exports`, {
          saltHash: exportSaltHash(newExportSalt()),
          records: [{ recordId: researchRecord, version: 1, bundle: { resourceType: "Bundle" }, report: { removed: [], generalized: [] } }],
        }),
        who,
        "research.export",
      );
      await expectDenied(stack, () => who.request("GET", `/research/projects/${projectId}/exports`), who, "research.export.read");
    }
    expect(await exportsStored()).toBe(before);
  });
});
