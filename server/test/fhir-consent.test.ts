import { canonicalJson } from "@yyl/sdk";
import { keccak256, toUtf8Bytes } from "ethers";
import { describe, expect, it } from "vitest";
import {
  ADDRESS_SYSTEM,
  CATEGORY_SYSTEM,
  CHAIN_ANCHOR_URL,
  collectionBundleOf,
  consentHashOf,
  consentOf,
  GRANT_STATE_URL,
  historyBundleOf,
  RECORD_SYSTEM,
  type Consent,
  type ConsentFacts,
} from "../src/consent/fhir-consent.ts";

const PATIENT = "0x1111111111111111111111111111111111111111";
const GUARDIAN = "0x3333333333333333333333333333333333333333";
const HOSPITAL = "0x2222222222222222222222222222222222222222";
const RECORD = "0x" + "ab".repeat(32);
const CATEGORY = "0x" + "cd".repeat(32);
const GRANT_ID = "0x" + "ef".repeat(32);
const TX1 = "0x" + "01".repeat(32);
const TX2 = "0x" + "02".repeat(32);
const T0 = Date.UTC(2025, 0, 1);
const DAY = 86_400_000;

const recordGrant: ConsentFacts = {
  grantId: GRANT_ID,
  version: 1,
  action: "granted",
  patient: PATIENT,
  grantee: HOSPITAL,
  scope: RECORD,
  scopeKind: 1,
  level: 1,
  expiresAt: T0 + 30 * DAY,
  signer: PATIENT,
  grantedAt: T0,
  versionAt: T0,
  txHash: TX1,
  blockNumber: 7,
};

const stateOf = (c: Consent) => c.extension.find((e) => e.url === GRANT_STATE_URL)?.valueCode;

describe("consentOf", () => {
  it("renders an active record grant at view level", () => {
    const c = consentOf(recordGrant, T0 + DAY);
    expect(c.resourceType).toBe("Consent");
    expect(c.id).toBe(GRANT_ID.slice(2));
    expect(c.id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
    expect(c.identifier).toEqual([{ system: "urn:yiyuanliao:grant", value: GRANT_ID }]);
    expect(c.meta).toEqual({ versionId: "1", lastUpdated: new Date(T0).toISOString() });
    expect(c.status).toBe("active");
    expect(stateOf(c)).toBe("active");
    expect(c.scope.coding[0]).toMatchObject({
      system: "http://terminology.hl7.org/CodeSystem/consentscope",
      code: "patient-privacy",
    });
    expect(c.category[0]!.coding[0]).toMatchObject({ system: "http://loinc.org", code: "59284-0" });
    expect(c.patient.identifier).toEqual({ system: ADDRESS_SYSTEM, value: PATIENT });
    expect(c.dateTime).toBe(new Date(T0).toISOString());
    expect(c.performer).toEqual([
      { type: "Patient", identifier: { system: ADDRESS_SYSTEM, value: PATIENT } },
    ]);
    expect(c.policyRule.coding[0]).toMatchObject({
      system: "http://terminology.hl7.org/CodeSystem/v3-ActCode",
      code: "OPTIN",
    });
    expect(c.provision.type).toBe("permit");
    expect(c.provision.period).toEqual({
      start: new Date(T0).toISOString(),
      end: new Date(T0 + 30 * DAY).toISOString(),
    });
    expect(c.provision.actor).toEqual([
      {
        role: {
          coding: [
            {
              system: "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
              code: "IRCP",
              display: "information recipient",
            },
          ],
        },
        reference: { identifier: { system: ADDRESS_SYSTEM, value: HOSPITAL } },
      },
    ]);
    expect(c.provision.action.map((a) => a.coding[0]!.code)).toEqual(["access"]);
    expect(c.provision.data).toEqual([
      { meaning: "instance", reference: { identifier: { system: RECORD_SYSTEM, value: RECORD } } },
    ]);
    expect(c.provision.class).toBeUndefined();
    const anchor = c.extension.find((e) => e.url === CHAIN_ANCHOR_URL)!;
    expect(anchor.extension).toEqual([
      { url: "txHash", valueString: TX1 },
      { url: "blockNumber", valueUnsignedInt: 7 },
    ]);
  });

  it("renders a category grant at research level, signed by a guardian", () => {
    const c = consentOf(
      {
        ...recordGrant,
        scope: CATEGORY,
        scopeKind: 2,
        categoryName: "cardiology",
        level: 2,
        signer: GUARDIAN,
      },
      T0,
    );
    expect(c.provision.action.map((a) => a.coding[0]!.code)).toEqual(["access", "use"]);
    expect(c.provision.class).toEqual([{ system: CATEGORY_SYSTEM, code: CATEGORY, display: "cardiology" }]);
    expect(c.provision.data).toBeUndefined();
    expect(c.performer).toEqual([
      { type: "RelatedPerson", identifier: { system: ADDRESS_SYSTEM, value: GUARDIAN } },
    ]);
    // Without a known name the class still names the category by its hash.
    const unnamed = consentOf({ ...recordGrant, scope: CATEGORY, scopeKind: 2 }, T0);
    expect(unnamed.provision.class).toEqual([{ system: CATEGORY_SYSTEM, code: CATEGORY }]);
  });

  it("is inactive once expired (expiresAt is exclusive) and when revoked", () => {
    expect(consentOf(recordGrant, recordGrant.expiresAt - 1).status).toBe("active");
    const expired = consentOf(recordGrant, recordGrant.expiresAt);
    expect(expired.status).toBe("inactive");
    expect(stateOf(expired)).toBe("expired");
    const revoked = consentOf(
      { ...recordGrant, version: 2, action: "revoked", versionAt: T0 + DAY, txHash: TX2 },
      T0 + DAY,
    );
    expect(revoked.status).toBe("inactive");
    expect(stateOf(revoked)).toBe("revoked");
    expect(revoked.meta).toEqual({ versionId: "2", lastUpdated: new Date(T0 + DAY).toISOString() });
    expect(revoked.dateTime).toBe(new Date(T0).toISOString());
  });
});

describe("consentHashOf", () => {
  it("is keccak256 of the canonical JSON and changes with any field", () => {
    const c = consentOf(recordGrant, T0);
    expect(consentHashOf(c)).toBe(keccak256(toUtf8Bytes(canonicalJson(c))));
    // Key order does not matter; content does.
    const reordered = JSON.parse(JSON.stringify(c, Object.keys(c).reverse())) as Consent;
    expect(consentHashOf({ ...reordered, ...c })).toBe(consentHashOf(c));
    expect(consentHashOf(consentOf({ ...recordGrant, level: 2 }, T0))).not.toBe(consentHashOf(c));
    expect(consentHashOf(consentOf(recordGrant, recordGrant.expiresAt))).not.toBe(consentHashOf(c));
  });
});

describe("bundles", () => {
  const revokedV2: ConsentFacts = {
    ...recordGrant,
    version: 2,
    action: "revoked",
    versionAt: T0 + 40 * DAY,
    txHash: TX2,
  };
  const regrantV3: ConsentFacts = {
    ...recordGrant,
    version: 3,
    level: 2,
    grantedAt: T0 + 50 * DAY,
    versionAt: T0 + 50 * DAY,
    expiresAt: T0 + 90 * DAY,
  };

  it("lists a grant's versions oldest first, each in the state it had while current", () => {
    const b = historyBundleOf([regrantV3, recordGrant, revokedV2], T0 + 60 * DAY);
    expect(b).toMatchObject({ resourceType: "Bundle", type: "history", total: 3 });
    expect(b.entry.map((e) => e.resource.meta.versionId)).toEqual(["1", "2", "3"]);
    // Version 1 expired (day 30) before the revocation replaced it (day 40).
    expect(b.entry.map((e) => stateOf(e.resource))).toEqual(["expired", "revoked", "active"]);
    expect(b.entry.map((e) => e.request!.method)).toEqual(["POST", "PUT", "PUT"]);
    expect(b.entry[1]!.response).toEqual({
      status: "200",
      etag: 'W/"2"',
      lastModified: new Date(T0 + 40 * DAY).toISOString(),
    });
    expect(b.entry[2]!.resource.provision.action).toHaveLength(2);
  });

  it("collects current Consents", () => {
    const b = collectionBundleOf([recordGrant, { ...recordGrant, grantId: "0x" + "aa".repeat(32) }], T0);
    expect(b.type).toBe("collection");
    expect(b.total).toBeUndefined();
    expect(b.entry.map((e) => e.resource.id)).toEqual(["ef".repeat(32), "aa".repeat(32)]);
  });
});
