import { describe, expect, it } from "vitest";
import {
  ADDRESS_SYSTEM,
  AGE_90_OR_OLDER,
  AGE_BAND_EXTENSION,
  PSEUDONYM_SYSTEM,
  deidentifyBundle,
  makeEmrBundle,
  newExportSalt,
  validateEmrBundle,
  type Bundle,
  type IdentifierKind,
} from "../src/index.ts";

const SALT = "export-2026-11-salt-0123456789abcdef";
const NOW = "2026-11-23T00:00:00Z";
const PATIENT_ADDR = "0x1111111111111111111111111111111111111111";
const JPEG = "/9j/4AAQSkZJRgABAQAAAQABAAD";

/** A bundle holding every Safe Harbor identifier kind somewhere (structured or in free text). */
function richBundle(): Bundle {
  const pat = "urn:uuid:00000000-0000-4000-8000-000000000001";
  return {
    resourceType: "Bundle",
    id: "bundle-1",
    type: "collection",
    timestamp: "2024-03-05T10:30:00Z",
    entry: [
      {
        fullUrl: pat,
        resource: {
          resourceType: "Patient",
          id: "pat-1",
          identifier: [
            { system: ADDRESS_SYSTEM, value: PATIENT_ADDR },
            { system: "urn:oid:2.16.156.10011.1.1", type: { text: "身份证" }, value: "110101199003074514" },
            { system: "urn:h1:mrn", type: { coding: [{ code: "MR" }] }, value: "MRN-778899" },
            { system: "urn:insurer", type: { coding: [{ code: "MB" }] }, value: "HP-5566" },
            { system: "urn:bank", type: { coding: [{ code: "AN" }] }, value: "ACCT-9911" },
            { system: "urn:dl", type: { coding: [{ code: "DL" }] }, value: "DL-3344" },
            { system: "urn:vehicle-plate", type: { text: "vehicle plate" }, value: "京A12345" },
          ],
          name: [{ text: "张三", family: "张", given: ["三"] }],
          telecom: [
            { system: "phone", value: "13812345678" },
            { system: "fax", value: "010-66778899" },
            { system: "email", value: "zhangsan@example.com" },
            { system: "url", value: "https://zhangsan.example.com" },
          ],
          gender: "male",
          birthDate: "1985-06-15",
          address: [
            { text: "浙江省杭州市西湖区文三路100号", line: ["文三路100号"], district: "西湖区", city: "杭州市", state: "浙江省", postalCode: "310012", country: "CN" },
            { line: ["1 Main St"], city: "Springfield", state: "MA", postalCode: "01103", country: "US" },
            { city: "Tiny Town", state: "NH", postalCode: "03690", country: "US" },
          ],
          photo: [{ contentType: "image/jpeg", data: JPEG }],
          extension: [{ url: "urn:yyl:fhir:biometric-fingerprint", valueString: "fp-template-abc" }],
          contact: [{ name: { text: "李四" }, telecom: [{ system: "phone", value: "13900001111" }] }],
        },
      },
      {
        fullUrl: "urn:uuid:00000000-0000-4000-8000-000000000002",
        resource: {
          resourceType: "Practitioner",
          id: "doc-1",
          name: [{ text: "王五" }],
          qualification: [{ identifier: [{ system: "urn:cn:licence", value: "110440000123456" }], code: { text: "执业医师" } }],
        },
      },
      {
        resource: {
          resourceType: "RelatedPerson",
          id: "rel-1",
          patient: { reference: pat },
          birthDate: "1930-02-01",
        },
      },
      {
        resource: {
          resourceType: "Observation",
          id: "obs-1",
          status: "final",
          code: { text: "主诉" },
          subject: { reference: pat, display: "张三" },
          performer: [{ reference: "urn:uuid:00000000-0000-4000-8000-000000000002", display: "王五" }],
          effectiveDateTime: "2024-03-05T10:20:00+08:00",
          issued: "2024-03-05T10:30:00Z",
          valueString:
            "患者张三，电话13812345678，传真 010-66778899，身份证110101199003074514，邮箱zhangsan@example.com，" +
            "于2024年3月5日就诊，住院号 ZY2024001，医保卡号 YB778812，车牌京B9K123，登录IP 10.0.0.7，" +
            "见 https://portal.example.org/p/1，序列号 PM-42-XYZ，主治王五。祖母93岁。",
          text: { status: "generated", div: '<div xmlns="http://www.w3.org/1999/xhtml">张三 咳嗽三天 13812345678<img src="data:image/png;base64,FACEPNG"/><a href="https://blog.example.net/zs">主页</a></div>' },
        },
      },
      {
        resource: {
          resourceType: "Observation",
          id: "obs-age",
          status: "final",
          code: { text: "Age" },
          subject: { reference: pat },
          valueQuantity: { value: 93, unit: "a", system: "http://unitsofmeasure.org", code: "a" },
        },
      },
      {
        resource: {
          resourceType: "Device",
          id: "dev-1",
          identifier: [{ system: "urn:pacemaker", value: "SN-PM-42" }],
          udiCarrier: [{ deviceIdentifier: "00844588003288", carrierHRF: "(01)00844588003288(17)141120" }],
          serialNumber: "PM-42-XYZ",
          url: "http://device.example/pm42",
          patient: { reference: pat },
        },
      },
      {
        resource: {
          resourceType: "Coverage",
          id: "cov-1",
          status: "active",
          subscriberId: "SUB-123456",
          beneficiary: { reference: pat },
          payor: [{ reference: "Organization/ins-1" }],
        },
      },
      {
        resource: {
          resourceType: "DocumentReference",
          id: "docref-1",
          status: "current",
          content: [{ attachment: { contentType: "application/dicom", url: "https://pacs.example.org/img/1.dcm" } }],
        },
      },
      {
        resource: {
          resourceType: "AuditEvent",
          id: "audit-1",
          recorded: "2024-03-05T10:31:00Z",
          agent: [{ requestor: true, network: { address: "192.168.1.20", type: "2" } }],
        },
      },
    ],
  } as Bundle;
}

const run = (b: Bundle = richBundle(), salt = SALT) => deidentifyBundle(b, { salt, now: NOW });
const kinds = (r: ReturnType<typeof run>["report"]) => new Set<IdentifierKind>([...r.removed, ...r.generalized].map((x) => x.kind));
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read whatever FHIR field they check
const resource = (b: Bundle, type: string, id?: number) => b.entry!.filter((e) => e.resource?.resourceType === type)[id ?? 0]!.resource as Record<string, any>;

// Each Safe Harbor kind: values that must not survive anywhere in the output.
const CASES: Array<[IdentifierKind, string[]]> = [
  ["name", ["张三", "王五", "李四"]],
  ["address", ["文三路", "西湖区", "杭州市", "310012", "1 Main St", "Springfield", "01103", "Tiny Town", "03690"]],
  ["date", ["1985-06-15", "2024-03-05", "3月5日", "10:20"]],
  ["age", [`"birthDate":"1930`, `"value":93`, "93岁"]],
  ["phone", ["13812345678", "13900001111"]],
  ["fax", ["66778899"]],
  ["email", ["zhangsan@example.com"]],
  ["national-id", ["110101199003074514"]],
  ["mrn", ["MRN-778899", "ZY2024001"]],
  ["health-plan", ["HP-5566", "SUB-123456", "YB778812"]],
  ["account", ["ACCT-9911"]],
  ["licence", ["DL-3344", "110440000123456"]],
  ["vehicle", ["京A12345", "京B9K123"]],
  ["device", ["00844588003288", "PM-42-XYZ", "SN-PM-42"]],
  ["url", ["zhangsan.example.com", "pacs.example.org", "device.example", "blog.example.net"]],
  ["ip", ["192.168.1.20", "10.0.0.7"]],
  ["biometric", ["fp-template-abc", "fingerprint"]],
  ["photo", [JPEG, "FACEPNG", "<img"]],
  ["other-id", [PATIENT_ADDR.slice(2), "pat-1", "doc-1", "obs-1", "bundle-1", "ins-1"]],
];

describe("deidentifyBundle: Safe Harbor identifier kinds", () => {
  const { bundle: out, report } = run();
  const text = JSON.stringify(out);

  it.each(CASES)("%s: gone or generalized in the output and listed in the report", (kind, secrets) => {
    for (const s of secrets) expect(text, `${kind} value ${s} survived`).not.toContain(s);
    for (const s of secrets) expect(JSON.stringify(report), `report names ${s}`).not.toContain(s);
    expect(kinds(report)).toContain(kind);
  });

  it("keeps only the province/state; US ZIP to 3 digits unless the prefix is too small", () => {
    const p = resource(out, "Patient");
    expect(p.address).toEqual([
      { state: "浙江省", country: "CN" },
      { state: "MA", postalCode: "011", country: "US" },
      { state: "NH", postalCode: "000", country: "US" },
    ]);
    expect(report.removed).toContainEqual({ path: "Bundle.entry[0].resource.address[0].city", kind: "address" });
    expect(report.generalized).toContainEqual({ path: "Bundle.entry[0].resource.address[1].postalCode", kind: "address", to: "011" });
  });

  it("turns dates into years (instants to 1 January of the year) and ages over 89 into 90 or older", () => {
    const p = resource(out, "Patient");
    expect(p.birthDate).toBe("1985");
    expect(resource(out, "Observation").effectiveDateTime).toBe("2024");
    expect(resource(out, "Observation").issued).toBe("2024-01-01T00:00:00Z");
    expect(out.timestamp).toBe("2024-01-01T00:00:00Z");
    const rel = resource(out, "RelatedPerson");
    expect(rel.birthDate).toBeUndefined();
    expect(rel.extension).toEqual([{ url: AGE_BAND_EXTENSION, valueString: AGE_90_OR_OLDER }]);
    expect(resource(out, "Observation", 1).valueQuantity).toMatchObject({ value: 90, comparator: ">=" });
    expect(report.generalized).toContainEqual({ path: "Bundle.entry[0].resource.birthDate", kind: "date", to: "1985" });
    // An 89-year-old keeps a birth year.
    const young = run({ resourceType: "Bundle", type: "collection", entry: [{ resource: { resourceType: "Patient", birthDate: "1937-12-01" } }] } as Bundle);
    expect(resource(young.bundle, "Patient").birthDate).toBe("1937");
  });

  it("replaces identifiers with keyed pseudonyms and keeps references consistent", () => {
    const p = resource(out, "Patient");
    expect(p.identifier).toHaveLength(7);
    for (const id of p.identifier) expect(id).toEqual({ system: PSEUDONYM_SYSTEM, value: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const fullUrl = out.entry![0]!.fullUrl!;
    expect(fullUrl).toBe(`urn:uuid:${p.id}`);
    expect(resource(out, "Observation").subject).toEqual({ reference: fullUrl });
    expect(resource(out, "Device").patient.reference).toBe(fullUrl);
    expect(report.generalized.find((g) => g.path === "Bundle.entry[0].resource.identifier[1]")?.kind).toBe("national-id");
    expect(report.generalized.find((g) => g.path === "Bundle.entry[0].resource.identifier[2]")?.kind).toBe("mrn");
  });

  it("scrubs free text, including XHTML narratives, and keeps the clinical words", () => {
    const obs = resource(out, "Observation");
    expect(obs.valueString).toContain("患者[name]，电话[phone]");
    expect(obs.valueString).toContain("身份证[national-id]");
    expect(obs.valueString).toContain("邮箱[email]");
    expect(obs.valueString).toContain("于2024年就诊");
    expect(obs.valueString).toContain("主治[name]");
    expect(obs.valueString).toContain("祖母90岁及以上");
    expect(obs.text.div).toBe('<div xmlns="http://www.w3.org/1999/xhtml">[name] 咳嗽三天 [phone]<a href="#">主页</a></div>');
    const paths = report.removed.filter((r) => r.path === "Bundle.entry[3].resource.valueString").map((r) => r.kind);
    expect(paths).toEqual(expect.arrayContaining(["name", "phone", "fax", "national-id", "email", "mrn", "health-plan", "vehicle", "ip", "url", "device", "date", "age"]));
  });

  it("does not change its input", () => {
    const input = richBundle();
    const before = structuredClone(input);
    run(input);
    expect(input).toEqual(before);
  });

  it("rejects a short salt and a non-bundle, naming the problem", () => {
    expect(() => deidentifyBundle(richBundle(), { salt: "short" })).toThrow(/salt must be at least 16 bytes/);
    expect(() => deidentifyBundle({ resourceType: "Patient" } as unknown as Bundle, { salt: SALT })).toThrow(/FHIR Bundle/);
  });
});

describe("deidentifyBundle: pseudonyms across bundles and exports", () => {
  const visit = (createdAt: string, complaint: string) =>
    makeEmrBundle({
      patient: { address: "0x2222222222222222222222222222222222222222", name: "赵六" },
      doctor: { address: "0x3333333333333333333333333333333333333333", name: "钱七" },
      hospital: { address: "0x4444444444444444444444444444444444444444", name: "第一人民医院" },
      title: "门诊病历",
      chiefComplaint: complaint,
      diagnosis: { system: "http://hl7.org/fhir/sid/icd-10", code: "J20.9", display: "急性支气管炎" },
      notes: "赵六自述夜间咳嗽加重，联系电话 13700001234",
      createdAt,
    });
  const patientOf = (b: Bundle) => resource(b, "Patient");

  it("is deterministic for one salt: the same patient gets the same pseudonym in every bundle", () => {
    const a = run(visit("2025-01-02T03:04:05Z", "咳嗽三天"));
    const again = run(visit("2025-01-02T03:04:05Z", "咳嗽三天"));
    const b = run(visit("2025-02-03T03:04:05Z", "发热两天"));
    expect(again.bundle).toEqual(a.bundle);
    expect(patientOf(b.bundle).id).toBe(patientOf(a.bundle).id);
    expect(patientOf(b.bundle).identifier).toEqual(patientOf(a.bundle).identifier);
    expect(b.bundle.id).not.toBe(a.bundle.id);
  });

  it("cannot be linked across exports with different salts", () => {
    const a = run(visit("2025-01-02T03:04:05Z", "咳嗽三天"), SALT);
    const b = run(visit("2025-01-02T03:04:05Z", "咳嗽三天"), newExportSalt());
    const pseudonymsOf = (x: Bundle) => new Set(JSON.stringify(x).match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}/g));
    const shared = [...pseudonymsOf(a.bundle)].filter((p) => pseudonymsOf(b.bundle).has(p));
    expect(shared).toEqual([]);
    expect(patientOf(b.bundle).id).not.toBe(patientOf(a.bundle).id);
  });

  it("passes a makeEmrBundle record through as a valid document keeping its clinical content", () => {
    const src = visit("2025-01-02T03:04:05Z", "咳嗽三天");
    const { bundle } = run(src);
    expect(validateEmrBundle(bundle)).toEqual([]);
    const text = JSON.stringify(bundle);
    for (const s of ["赵六", "钱七", "第一人民医院", "13700001234", "2222222222", "2025-01-02"]) expect(text).not.toContain(s);
    expect(resource(bundle, "Observation").valueString).toBe("咳嗽三天");
    const cond = resource(bundle, "Condition");
    expect(cond.code).toEqual({ text: "急性支气管炎", coding: [{ system: "http://hl7.org/fhir/sid/icd-10", code: "J20.9", display: "急性支气管炎" }] });
    expect(cond.recordedDate).toBe("2025");
    const comp = resource(bundle, "Composition");
    expect(comp.section.map((s: { title: string }) => s.title)).toEqual(["主诉 Chief complaint", "诊断 Diagnosis", "备注 Notes"]);
    expect(comp.section[2].text.div).toContain("[name]自述夜间咳嗽加重，联系电话 [phone]");
    expect(comp.subject.reference).toBe(`urn:uuid:${patientOf(bundle).id}`);
  });
});
