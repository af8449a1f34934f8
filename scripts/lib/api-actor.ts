import {
  applicationTypedData,
  decisionTypedData,
  domainOf,
  makeEmrBundle,
  profileHashOf,
  randomNonce,
  reasonHashOf,
  ROLE,
  DECISION,
  signTypedData,
  typedDataFromJson,
  type Eip712Domain,
  type TypedData,
} from "@yyl/sdk";
import type { Wallet } from "ethers";

// One person using the REST API with their own key, as a script would: signs in, applies, signs
// typed data. Used by the demo loader, the API tests and the benchmark.

export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly body: { error?: { code: string; message: string; details?: { path: string; message: string }[] } },
    what: string,
  ) {
    super(`${what}: HTTP ${status} ${JSON.stringify(body)}`);
  }
  get code(): string | undefined {
    return this.body.error?.code;
  }
}

type Json = Record<string, unknown>;

export class ApiActor {
  token: string | null = null;
  private chainInfo: { chainId: number; contracts: Record<string, string> } | null = null;

  constructor(
    readonly baseUrl: string,
    readonly wallet: Wallet,
  ) {}

  get address(): string {
    return this.wallet.address;
  }

  async request<T = Json>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}/api${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : {};
    if (!res.ok) throw new ApiCallError(res.status, json, `${method} ${path}`);
    return json as T;
  }

  async signIn(): Promise<Json> {
    const c = await this.request<{ nonce: string; message: string }>("POST", "/auth/challenge", { address: this.address });
    const signature = await this.wallet.signMessage(c.message);
    const s = await this.request<{ token: string; session: Json }>("POST", "/auth/session", { address: this.address, nonce: c.nonce, signature });
    this.token = s.token;
    return s.session;
  }

  private async chain() {
    this.chainInfo ??= await this.request("GET", "/chain");
    return this.chainInfo!;
  }

  /** The EIP-712 domain of a deployed contract, e.g. `await actor.domain("ConsentManager")`. */
  async domain(contract: string): Promise<Eip712Domain> {
    const c = await this.chain();
    const address = c.contracts[contract];
    if (!address) throw new Error(`no contract ${contract} in /api/chain`);
    return domainOf(contract, c.chainId, address);
  }

  /** Signs typed data with this actor's key. */
  sign(typed: TypedData): Promise<string> {
    return signTypedData(this.wallet, typed);
  }

  /** A fresh nonce and a deadline an hour ahead, for a signed act. */
  static freshNonce(): { nonce: string; deadline: number } {
    return { nonce: randomNonce(), deadline: Date.now() + 3600_000 };
  }

  async apply(role: "patient" | "doctor" | "hospital", profile: Record<string, string>, hospital?: string): Promise<Json> {
    const { nonce, deadline } = ApiActor.freshNonce();
    const typed = applicationTypedData(await this.domain("AllianceRegistry"), {
      applicant: this.address,
      role: ROLE[role],
      hospital: role === "doctor" ? hospital : undefined,
      profileHash: profileHashOf(profile),
      nonce,
      deadline,
    });
    const signature = await this.sign(typed);
    return this.request("POST", "/members/applications", { role, profile, hospital, nonce, deadline, signature });
  }

  async decide(member: string, decision: "approve" | "reject" | "revoke", reason?: string): Promise<Json> {
    const { nonce, deadline } = ApiActor.freshNonce();
    const typed = decisionTypedData(await this.domain("AllianceRegistry"), {
      member,
      decision: DECISION[decision],
      reasonHash: reasonHashOf(reason),
      nonce,
      deadline,
    });
    const signature = await this.sign(typed);
    return this.request("POST", `/members/${member}/decision`, { decision, reason, nonce, deadline, signature });
  }

  registerDoctor(doctor: string): Promise<Json> {
    return this.request("POST", `/members/${doctor}/register`, {});
  }

  async draftRecord(patient: string, fields: { title: string; chiefComplaint: string; diagnosis: string; notes?: string; hospital: string }): Promise<Json> {
    const bundle = makeEmrBundle({
      patient: { address: patient },
      doctor: { address: this.address },
      hospital: { address: fields.hospital },
      title: fields.title,
      chiefComplaint: fields.chiefComplaint,
      diagnosis: fields.diagnosis,
      notes: fields.notes ?? "",
      createdAt: Date.now(),
    });
    return this.request("POST", "/emr/drafts", { patient, title: fields.title, bundle });
  }

  /** Reads the draft, signs the typed data the server returns for this caller, and posts the signature. */
  async signDraft(id: string, as: "patient" | "doctor"): Promise<Json> {
    const d = await this.request<{ typedData: Json }>("GET", `/emr/drafts/${id}`);
    const signature = await signTypedData(this.wallet, typedDataFromJson(d.typedData));
    return this.request("POST", `/emr/drafts/${id}/${as}-signature`, { signature });
  }
}
