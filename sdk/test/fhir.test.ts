import { describe, expect, it } from "vitest";
import { makeEmrBundle, validateEmrBundle, type Composition } from "../src/index.ts";

const input = {
  patient: { address: "0x00000000000000000000000000000000000000aa", name: "张三" },
  doctor: { address: "0x00000000000000000000000000000000000000bb", name: "李医生" },
  hospital: { address: "0x00000000000000000000000000000000000000cc", name: "第一医院" },
  title: "门诊病历",
  chiefComplaint: "咳嗽三天 <发热>",
  diagnosis: { system: "http://hl7.org/fhir/sid/icd-10", code: "J06.9", display: "急性上呼吸道感染" },
  notes: "多饮水",
  createdAt: 1_700_000_000_000n,
};

describe("FHIR EMR bundle", () => {
  it("builds a valid document bundle with the Composition first", () => {
    const b = makeEmrBundle(input);
    expect(validateEmrBundle(b)).toEqual([]);
    expect(b.resourceType).toBe("Bundle");
    expect(b.type).toBe("document");
    expect(b.timestamp).toBe("2023-11-14T22:13:20.000Z");
    const types = b.entry?.map((e) => e.resource?.resourceType);
    expect(types).toEqual([
      "Composition",
      "Patient",
      "Practitioner",
      "Organization",
      "Observation",
      "Condition",
    ]);
    const comp = b.entry?.[0]?.resource as Composition;
    expect(comp.title).toBe("门诊病历");
    expect(comp.subject?.reference).toBe(b.entry?.[1]?.fullUrl);
    expect(comp.section?.[0]?.text?.div).toContain("&lt;发热&gt;");
    // every reference resolves inside the bundle
    const urls = new Set(b.entry?.map((e) => e.fullUrl));
    const refs = JSON.stringify(b).match(/"reference":"([^"]+)"/g) ?? [];
    for (const r of refs) expect(urls.has(r.slice(13, -1))).toBe(true);
    for (const u of urls)
      expect(u).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("is deterministic and input-sensitive", () => {
    expect(makeEmrBundle(input)).toEqual(makeEmrBundle(input));
    expect(makeEmrBundle({ ...input, notes: "x" }).id).not.toBe(makeEmrBundle(input).id);
    expect(makeEmrBundle({ ...input, diagnosis: "感冒", notes: undefined }).entry?.length).toBe(6);
  });

  it("reports problems", () => {
    expect(validateEmrBundle(null)).toEqual(["not a JSON object"]);
    expect(validateEmrBundle({ resourceType: "Patient", type: "collection", entry: [] })).toEqual([
      'resourceType must be "Bundle", got "Patient"',
      'type must be "document", got "collection"',
      "entry must be a non-empty array",
    ]);
    const p = validateEmrBundle({
      resourceType: "Bundle",
      type: "document",
      entry: [{ resource: { resourceType: "Patient" } }, { resource: {} }, {}],
    });
    expect(p).toEqual([
      "entry[1].resource.resourceType is missing",
      "entry[2].resource is missing",
      "entry[0] must be a Composition, got Patient",
    ]);
  });
});
