import { describe, expect, it } from "vitest";
import { TypedDataEncoder, ZeroAddress, ZeroHash } from "ethers";
import {
  DECISION,
  applyHospital,
  approvedHospital,
  chainPerTestFile,
  decide,
  expectEvents,
  expectRevert,
  hashOf,
  lc,
  newAccount,
  newWallet,
  norm,
  now,
} from "./fixture.ts";
import {
  addMember,
  allocate,
  commitInputs,
  createProject,
  finalize,
  newProjectId,
  researchFixture,
  signAddMember,
  signAllocate,
  signCreate,
  signFinalize,
  type ResearchFixture,
} from "./points-fixture.ts";

// One devnode for this file; every test deploys its own contracts on it.
const chain = chainPerTestFile();

async function projectOf(fx: ResearchFixture, id: string): Promise<unknown[]> {
  return norm(Array.from(await fx.research.call<unknown[]>("projectOf", [id]))) as unknown[];
}
async function allocationOf(fx: ResearchFixture, id: string, h: string): Promise<unknown[]> {
  return norm(Array.from(await fx.research.call<unknown[]>("allocationOf", [id, h]))) as unknown[];
}

/**
 * Exact Shapley values of a 3-player game, computed here independently of the contract (which only
 * records them): φᵢ = Σ_{S∌i} |S|!(n−|S|−1)!/n! · (v(S∪{i}) − v(S)).
 */
function shapley3(v: (s: number) => bigint): bigint[] {
  const n = 3;
  const fact = [1n, 1n, 2n, 6n];
  const size = (s: number): number => ((s & 1) + ((s >> 1) & 1) + ((s >> 2) & 1)) as number;
  return [0, 1, 2].map((i) => {
    let num = 0n;
    for (let s = 0; s < 1 << n; s++) {
      if (s & (1 << i)) continue;
      const k = size(s);
      num += fact[k]! * fact[n - k - 1]! * (v(s | (1 << i)) - v(s));
    }
    if (num % fact[n]! !== 0n) throw new Error("non-integer Shapley value in the test game");
    return num / fact[n]!;
  });
}

describe("ResearchAllocation full flow", () => {
  it("create → members → inputs → allocate → finalize, Σ allocations exactly the total", async () => {
    const fx = await researchFixture(chain);
    const h3 = await approvedHospital(fx);
    const members = [fx.hospital.address, fx.hospital2.address, h3.hospital.address];
    // v(S) for coalitions as bit masks over members (superadditive).
    const V: Record<number, bigint> = { 0: 0n, 1: 120n, 2: 60n, 4: 0n, 3: 300n, 5: 180n, 6: 120n, 7: 600n };
    const phi = shapley3((s) => V[s]!);
    expect(phi.reduce((a, b) => a + b, 0n)).toBe(V[7]);
    const total = V[7]!;

    const id = newProjectId();
    const description = hashOf("cardiology outcomes study");
    expect(await projectOf(fx, id)).toEqual(norm([0n, 0n, 0n, ZeroHash, false]));

    // the alliance's owner is a relayer too
    let r = await createProject(fx, id, total, description, { user: fx.owner });
    expectEvents(fx.research, r, [["ProjectCreated", id, total, description]]);
    expect(await projectOf(fx, id)).toEqual(norm([total, 0n, 0n, ZeroHash, false]));

    for (const h of members) {
      r = await addMember(fx, id, h);
      expectEvents(fx.research, r, [["ProjectMemberAdded", id, h]]);
      expect(await allocationOf(fx, id, h)).toEqual(norm([true, 0n]));
    }
    expect(await allocationOf(fx, id, fx.patient.address)).toEqual(norm([false, 0n]));

    const inputsHash = hashOf(JSON.stringify(Object.entries(V).map(([k, v]) => [k, v.toString()])));
    r = await commitInputs(fx, id, inputsHash, { user: fx.operator2 });
    expectEvents(fx.research, r, [["InputsCommitted", id, inputsHash]]);

    for (let i = 0; i < 3; i++) {
      r = await allocate(fx, id, members[i]!, phi[i]!);
      expectEvents(fx.research, r, [["AllocationRecorded", id, members[i]!, phi[i]!]]);
      expect(await allocationOf(fx, id, members[i]!)).toEqual(norm([true, phi[i]!]));
    }
    expect(await projectOf(fx, id)).toEqual(norm([total, total, 3n, inputsHash, false]));

    r = await finalize(fx, id);
    expectEvents(fx.research, r, [["ProjectFinalized", id, total, inputsHash]]);
    expect(await projectOf(fx, id)).toEqual(norm([total, total, 3n, inputsHash, true]));
  });

  it("a later allocation of the same member replaces it; a later commit replaces the inputs", async () => {
    const fx = await researchFixture(chain);
    const id = newProjectId();
    await createProject(fx, id, 100n);
    await addMember(fx, id, fx.hospital.address);
    await addMember(fx, id, fx.hospital2.address);
    await commitInputs(fx, id, hashOf("inputs v1"));
    const inputs2 = hashOf("inputs v2");
    await commitInputs(fx, id, inputs2);
    await allocate(fx, id, fx.hospital.address, 70n);
    await allocate(fx, id, fx.hospital2.address, 40n);
    expect(await projectOf(fx, id)).toEqual(norm([100n, 110n, 2n, inputs2, false]));
    const r = await allocate(fx, id, fx.hospital2.address, 30n);
    expectEvents(fx.research, r, [["AllocationRecorded", id, fx.hospital2.address, 30n]]);
    expect(await projectOf(fx, id)).toEqual(norm([100n, 100n, 2n, inputs2, false]));
    // a null player may be allocated 0
    await allocate(fx, id, fx.hospital.address, 0n);
    await allocate(fx, id, fx.hospital2.address, 100n);
    const f = await finalize(fx, id);
    expectEvents(fx.research, f, [["ProjectFinalized", id, 100n, inputs2]]);
    expect(await allocationOf(fx, id, fx.hospital.address)).toEqual(norm([true, 0n]));
  });
});

describe("ResearchAllocation refusals", () => {
  it("finalize with Σ ≠ total reverts with both numbers (below and above)", async () => {
    const fx = await researchFixture(chain);
    const id = newProjectId();
    await createProject(fx, id, 1000n);
    await addMember(fx, id, fx.hospital.address);
    await addMember(fx, id, fx.hospital2.address);
    await commitInputs(fx, id, hashOf("inputs"));
    await allocate(fx, id, fx.hospital.address, 600n);
    await allocate(fx, id, fx.hospital2.address, 399n);
    await expectRevert(finalize(fx, id), "ResearchAllocationSumMismatch", [id, 999n, 1000n]);
    await allocate(fx, id, fx.hospital2.address, 401n);
    await expectRevert(finalize(fx, id), "ResearchAllocationSumMismatch", [id, 1001n, 1000n]);
    await allocate(fx, id, fx.hospital2.address, 400n);
    await finalize(fx, id);
  });

  it("allocation to a non-member, and to a hospital of another project", async () => {
    const fx = await researchFixture(chain);
    const id = newProjectId();
    await createProject(fx, id, 10n);
    await addMember(fx, id, fx.hospital.address);
    await commitInputs(fx, id, hashOf("inputs"));
    await expectRevert(allocate(fx, id, fx.hospital2.address, 5n), "ResearchAllocationNotMember", [
      id,
      fx.hospital2.address,
    ]);
    await expectRevert(allocate(fx, id, fx.patient.address, 5n), "ResearchAllocationNotMember", [
      id,
      fx.patient.address,
    ]);
    const other = newProjectId();
    await createProject(fx, other, 10n);
    await addMember(fx, other, fx.hospital2.address);
    await expectRevert(allocate(fx, id, fx.hospital2.address, 5n), "ResearchAllocationNotMember", [
      id,
      fx.hospital2.address,
    ]);
  });

  it("allocate and finalize need committed inputs", async () => {
    const fx = await researchFixture(chain);
    const id = newProjectId();
    await createProject(fx, id, 10n);
    await addMember(fx, id, fx.hospital.address);
    await expectRevert(allocate(fx, id, fx.hospital.address, 10n), "ResearchAllocationInputsNotCommitted", [
      id,
    ]);
    await expectRevert(finalize(fx, id), "ResearchAllocationInputsNotCommitted", [id]);
    await expectRevert(commitInputs(fx, id, ZeroHash), "ResearchAllocationZeroInputs", [id]);
  });

  it("nothing changes after finalize", async () => {
    const fx = await researchFixture(chain);
    const id = newProjectId();
    await createProject(fx, id, 10n);
    await addMember(fx, id, fx.hospital.address);
    const inputs = hashOf("inputs");
    await commitInputs(fx, id, inputs);
    await allocate(fx, id, fx.hospital.address, 10n);
    await finalize(fx, id);
    const before = await projectOf(fx, id);
    await expectRevert(addMember(fx, id, fx.hospital2.address), "ResearchAllocationProjectFinalized", [id]);
    await expectRevert(commitInputs(fx, id, hashOf("other")), "ResearchAllocationProjectFinalized", [id]);
    await expectRevert(allocate(fx, id, fx.hospital.address, 9n), "ResearchAllocationProjectFinalized", [id]);
    await expectRevert(finalize(fx, id), "ResearchAllocationProjectFinalized", [id]);
    await expectRevert(createProject(fx, id, 10n), "ResearchAllocationProjectExists", [id]);
    expect(await projectOf(fx, id)).toEqual(before);
    expect(await allocationOf(fx, id, fx.hospital.address)).toEqual(norm([true, 10n]));
  });

  it("unknown project, duplicate project, zero total, duplicate member", async () => {
    const fx = await researchFixture(chain);
    const id = newProjectId();
    await expectRevert(addMember(fx, id, fx.hospital.address), "ResearchAllocationUnknownProject", [id]);
    await expectRevert(commitInputs(fx, id, hashOf("i")), "ResearchAllocationUnknownProject", [id]);
    await expectRevert(allocate(fx, id, fx.hospital.address, 1n), "ResearchAllocationUnknownProject", [id]);
    await expectRevert(finalize(fx, id), "ResearchAllocationUnknownProject", [id]);
    await expectRevert(createProject(fx, id, 0n), "ResearchAllocationZeroTotal", [id]);
    await createProject(fx, id, 5n);
    await expectRevert(createProject(fx, id, 7n), "ResearchAllocationProjectExists", [id]);
    await addMember(fx, id, fx.hospital.address);
    await expectRevert(addMember(fx, id, fx.hospital.address), "ResearchAllocationAlreadyMember", [
      id,
      fx.hospital.address,
    ]);
  });

  it("members must be approved hospitals: not a patient, doctor, pending or revoked hospital", async () => {
    const fx = await researchFixture(chain);
    const id = newProjectId();
    await createProject(fx, id, 5n);
    for (const a of [fx.patient.address, fx.doctor.address, newWallet().address, ZeroAddress]) {
      await expectRevert(addMember(fx, id, a), "ResearchAllocationNotHospital", [a]);
    }
    const pending = newWallet();
    await applyHospital(fx, pending, await newAccount(chain, "op"));
    await expectRevert(addMember(fx, id, pending.address), "ResearchAllocationNotHospital", [
      pending.address,
    ]);
    await decide(fx, fx.hospital2.address, DECISION.revoke);
    await expectRevert(addMember(fx, id, fx.hospital2.address), "ResearchAllocationNotHospital", [
      fx.hospital2.address,
    ]);
  });

  it("the signer must be an alliance admin", async () => {
    const fx = await researchFixture(chain);
    const id = newProjectId();
    const outsider = newWallet();
    await expectRevert(
      createProject(fx, id, 5n, undefined, { signer: outsider }),
      "ResearchAllocationNotAdmin",
      [outsider.address],
    );
    // a patient is no admin either
    await expectRevert(
      createProject(fx, id, 5n, undefined, { signer: fx.patient }),
      "ResearchAllocationNotAdmin",
      [fx.patient.address],
    );
    await createProject(fx, id, 5n);
    await expectRevert(
      addMember(fx, id, fx.hospital.address, { signer: outsider }),
      "ResearchAllocationNotAdmin",
      [outsider.address],
    );
    await addMember(fx, id, fx.hospital.address);
    await expectRevert(
      commitInputs(fx, id, hashOf("i"), { signer: outsider }),
      "ResearchAllocationNotAdmin",
      [outsider.address],
    );
    await commitInputs(fx, id, hashOf("i"));
    await expectRevert(
      allocate(fx, id, fx.hospital.address, 5n, { signer: outsider }),
      "ResearchAllocationNotAdmin",
      [outsider.address],
    );
    await allocate(fx, id, fx.hospital.address, 5n);
    await expectRevert(finalize(fx, id, { signer: outsider }), "ResearchAllocationNotAdmin", [
      outsider.address,
    ]);
    // a removed admin no longer counts
    await fx.alliance.send("removeAdmin", [fx.admin.address]);
    await expectRevert(finalize(fx, id), "ResearchAllocationNotAdmin", [fx.admin.address]);
  });

  it("a signature over other fields recovers another address (NotAdmin)", async () => {
    const fx = await researchFixture(chain);
    const id = newProjectId();
    const desc = hashOf("d");
    const s = await signCreate(fx, id, 5n, desc);
    // relayed with a different total
    const err = await expectRevert(
      fx.research.send("createProject", [id, 6n, desc, s.nonce, s.deadline, s.sig]),
      "ResearchAllocationNotAdmin",
    );
    expect(String(err.errorArgs[0]).toLowerCase()).not.toBe(fx.admin.address.toLowerCase());
    // an action signed for addMember cannot be used as allocate (action codes differ)
    await createProject(fx, id, 5n);
    const a = await signAddMember(fx, id, fx.hospital.address);
    await expectRevert(
      fx.research.send("allocate", [id, fx.hospital.address, 0n, a.nonce, a.deadline, a.sig]),
      "ResearchAllocationNotAdmin",
    );
    // a bad signature
    await expectRevert(
      fx.research.send("addMember", [id, fx.hospital.address, a.nonce, a.deadline, "0x1234"]),
      "SignatureInvalid",
      [ZeroAddress, ZeroAddress],
    );
  });

  it("the sender must be a relayer (owner or an approved hospital's operator)", async () => {
    const fx = await researchFixture(chain);
    const stranger = await newAccount(chain, "stranger");
    const id = newProjectId();
    await expectRevert(
      createProject(fx, id, 5n, undefined, { user: stranger }),
      "ResearchAllocationNotRelayer",
      [stranger],
    );
    await createProject(fx, id, 5n);
    await expectRevert(
      addMember(fx, id, fx.hospital.address, { user: stranger }),
      "ResearchAllocationNotRelayer",
      [stranger],
    );
    // the operator of a revoked hospital is no relayer any more
    await decide(fx, fx.hospital2.address, DECISION.revoke);
    await expectRevert(
      addMember(fx, id, fx.hospital.address, { user: fx.operator2 }),
      "ResearchAllocationNotRelayer",
      [fx.operator2],
    );
  });

  it("replay: the same signature again fails with SignatureNonceUsed, even for another project state", async () => {
    const fx = await researchFixture(chain);
    const id = newProjectId();
    const s = await signCreate(fx, id, 5n, hashOf("d"));
    const args = [id, 5n, hashOf("d"), s.nonce, s.deadline, s.sig];
    await fx.research.send("createProject", args);
    await expectRevert(fx.research.send("createProject", args), "SignatureNonceUsed", [
      fx.admin.address,
      s.nonce,
    ]);
    // the nonce is the admin's, whatever the action: reusing it for another action fails too
    const m = await signAddMember(fx, id, fx.hospital.address, { nonce: s.nonce });
    await expectRevert(
      fx.research.send("addMember", [id, fx.hospital.address, m.nonce, m.deadline, m.sig]),
      "SignatureNonceUsed",
      [fx.admin.address, s.nonce],
    );
    expect(await fx.research.call("nonceUsed", [fx.admin.address, s.nonce])).toBe(true);
    // replay of finalize after finalize: nonce first
    await addMember(fx, id, fx.hospital.address);
    await commitInputs(fx, id, hashOf("i"));
    const al = await signAllocate(fx, id, fx.hospital.address, 5n);
    await fx.research.send("allocate", [id, fx.hospital.address, 5n, al.nonce, al.deadline, al.sig]);
    const f = await signFinalize(fx, id);
    await fx.research.send("finalize", [id, f.nonce, f.deadline, f.sig]);
    await expectRevert(fx.research.send("finalize", [id, f.nonce, f.deadline, f.sig]), "SignatureNonceUsed", [
      fx.admin.address,
      f.nonce,
    ]);
  });

  it("expiry: a signature past its deadline (ms) fails with SignatureExpired", async () => {
    const fx = await researchFixture(chain);
    const id = newProjectId();
    const deadline = now() - 1n;
    const s = await signCreate(fx, id, 5n, hashOf("d"), { deadline });
    const err = await expectRevert(
      fx.research.send("createProject", [id, 5n, hashOf("d"), s.nonce, s.deadline, s.sig]),
      "SignatureExpired",
    );
    expect(BigInt(err.errorArgs[0] as bigint)).toBe(deadline);
    const blockNow = BigInt(err.errorArgs[1] as bigint);
    expect(blockNow > deadline && blockNow < now() + 120_000n).toBe(true);
    expect(await fx.research.call("nonceUsed", [fx.admin.address, s.nonce])).toBe(false);
  });

  it("views and domain", async () => {
    const fx = await researchFixture(chain);
    expect(lc(await fx.research.call<string>("allianceRegistry"))).toBe(fx.alliance.address);
    const sep = await fx.research.call<string>("domainSeparator");
    expect(sep.toLowerCase()).toBe(
      TypedDataEncoder.hashDomain({
        name: "ResearchAllocation",
        version: "1",
        chainId: 20200n,
        verifyingContract: fx.research.address,
      }).toLowerCase(),
    );
  });
});
