import { describe, expect, it } from "vitest";
import type { Member, MemberProfile } from "../src/generated/prisma/client.ts";
import { memberView } from "../src/members/views.ts";

const DOCTOR = "0x1111111111111111111111111111111111111111";
const HOSPITAL = "0x2222222222222222222222222222222222222222";
const HASH = "0x" + "ab".repeat(32);

function profile(over: Partial<MemberProfile>): MemberProfile {
  return {
    address: DOCTOR,
    role: 2,
    name: "李医生",
    profile: { name: "李医生" },
    profileHash: HASH,
    hospital: HOSPITAL,
    nonce: "1",
    deadline: 0n,
    signature: "0x",
    submittedAt: 5n,
    relayedAt: null,
    txHash: null,
    ...over,
  };
}

const onChain: Member = {
  address: DOCTOR,
  role: 2,
  status: 2,
  hospital: HOSPITAL,
  profileHash: HASH,
  operator: null,
  appliedAt: 7n,
  decidedAt: 9n,
  decidedBy: null,
  reasonHash: null,
  level: null,
  txHash: "0x" + "cd".repeat(32),
  blockNumber: 3,
  logIndex: 0,
};

describe("memberView", () => {
  it("shows a doctor's application that waits for its hospital", () => {
    expect(memberView(null, profile({}), "示范医院")).toMatchObject({ status: "awaiting-hospital", hospitalName: "示范医院", appliedAt: 5 });
  });

  it("takes the status from the chain once the application is there", () => {
    expect(memberView(onChain, profile({ relayedAt: 8n }), null)).toMatchObject({ status: "approved", name: "李医生", appliedAt: 7, decidedAt: 9 });
  });

  it("forgets applications the chain no longer has (a reset or a redeployment)", () => {
    expect(memberView(null, profile({ relayedAt: 8n }), null)).toBeNull();
    expect(memberView(null, profile({ role: 1, hospital: null }), null)).toBeNull();
    expect(memberView(null, profile({ role: 3, hospital: null }), null)).toBeNull();
    expect(memberView(null, null, null)).toBeNull();
  });
});
