import {
  applicationTypedData,
  NoKeyForReaderError,
  openRecordVersion,
  openSealedForMember,
  recordIdOf,
  sealRecordVersion,
  unwrapContentKey,
  wrapContentKey,
  type AbeUserKeyJson,
  type RecordKeyWrap,
  type SealedForMember,
  type SealedVersion,
  type VersionReaders,
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

  async request<T = Json>(method: string, path: string, body?: unknown, retries = 2): Promise<T> {
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
    // Sign-in is rate-limited per address of origin; told to slow down there, a client waits as long as
    // the server says and tries again. (Other 429s, such as the chain-read budget, are answers to keep.)
    if (res.status === 429 && path.startsWith("/auth/") && retries > 0) {
      await new Promise((r) => setTimeout(r, retryAfterMs(res.headers)));
      return this.request<T>(method, path, body, retries - 1);
    }
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
    const createdAt = Date.now();
    const bundle = makeEmrBundle({
      patient: { address: patient },
      doctor: { address: this.address },
      hospital: { address: fields.hospital },
      title: fields.title,
      chiefComplaint: fields.chiefComplaint,
      diagnosis: fields.diagnosis,
      notes: fields.notes ?? "",
      createdAt,
    });
    const readers = await this.request<VersionReaders>("GET", `/keys/readers?patient=${patient}`);
    const content = wireContent(await sealRecordVersion(bundle, recordIdOf(createdAt, patient), 1, readers));
    return this.request("POST", "/emr/drafts", { patient, title: fields.title, createdAt, content });
  }

  /** A correction's content sealed, as the doctor's client does, for the readers the record's next version has. */
  async sealCorrection(recordId: string, version: number, bundle: unknown): Promise<Json> {
    const readers = await this.request<VersionReaders>("GET", `/emr/records/${recordId}/readers`);
    return wireContent(await sealRecordVersion(bundle, recordId, version, readers));
  }

  private abeKey: AbeUserKeyJson | null | undefined;

  /** This actor's CP-ABE attribute key, issued by the alliance (null when it attests no attributes). */
  async attributeKey(refresh = false): Promise<AbeUserKeyJson | null> {
    if (this.abeKey !== undefined && !refresh) return this.abeKey;
    try {
      const issued = await this.request<{ sealed: SealedForMember }>("GET", "/keys/attribute-key");
      this.abeKey = (await openSealedForMember(this.wallet.privateKey, issued.sealed, `yyl/abe-user-key:${this.address}`)) as AbeUserKeyJson;
    } catch (e) {
      if (!(e instanceof ApiCallError && e.code === "NO_ATTRIBUTE_KEY")) throw e;
      this.abeKey = null;
    }
    return this.abeKey;
  }

  /** Opens sealed content of `recordId` at `version` with this actor's keys. */
  async open(content: { envelope: string; wraps: RecordKeyWrap[] }, recordId: string, version: number): Promise<unknown> {
    const withKey = async (refresh: boolean) =>
      openRecordVersion(content, recordId, version, {
        address: this.address,
        privateKey: this.wallet.privateKey,
        abeUserKey: await this.attributeKey(refresh),
      });
    try {
      return await withKey(false);
    } catch (e) {
      // The attributes may have changed since the key was fetched (a new certification): fetch it once more.
      if (!(e instanceof NoKeyForReaderError)) throw e;
      return withKey(true);
    }
  }

  /** GET a record (or one version) and open its content: the answer with `bundle` added. */
  async readRecord<T extends Json = Json>(recordId: string, version?: number): Promise<T & { bundle: Json }> {
    const path = version ? `/emr/records/${recordId}/versions/${version}` : `/emr/records/${recordId}`;
    const r = await this.request<Json & { record: { version: number }; version?: { version: number }; content: { envelope: string; wraps: RecordKeyWrap[] } }>("GET", path);
    const v = r.version?.version ?? r.record.version;
    return { ...(r as unknown as T), bundle: (await this.open(r.content, recordId, v)) as Json };
  }

  /** As the patient (or guardian): gives `grantee` the content keys of every version of the record. */
  async shareKeys(recordId: string, grantee: string): Promise<Json> {
    const history = await this.request<{ items: { version: number }[] }>("GET", `/emr/records/${recordId}/versions?pageSize=100`);
    const readers = await this.request<VersionReaders>("GET", `/keys/grantee-readers?grantee=${grantee}`);
    const wraps: Json[] = [];
    for (const { version } of history.items) {
      const r = await this.request<{ content: { wraps: RecordKeyWrap[] } }>("GET", `/emr/records/${recordId}/versions/${version}`);
      const key = await unwrapContentKey(r.content.wraps, recordId, version, { address: this.address, privateKey: this.wallet.privateKey });
      for (const w of await wrapContentKey(key, recordId, version, readers)) wraps.push({ version, ...w });
    }
    return this.request("POST", `/emr/records/${recordId}/keys`, { wraps });
  }

  /** Reads the draft, signs the typed data the server returns for this caller, and posts the signature. */
  async signDraft(id: string, as: "patient" | "doctor"): Promise<Json> {
    const d = await this.request<{ typedData: Json }>("GET", `/emr/drafts/${id}`);
    const signature = await signTypedData(this.wallet, typedDataFromJson(d.typedData));
    return this.request("POST", `/emr/drafts/${id}/${as}-signature`, { signature });
  }
}

/** A sealed version as the draft routes take it. */
function wireContent(sealed: SealedVersion): Json {
  return { envelope: sealed.envelope, fieldsRoot: sealed.fieldsRoot, wraps: sealed.wraps };
}

/** The wait a 429 asks for: the RateLimit header's `t` (seconds, IETF draft 8), else a minute. */
function retryAfterMs(headers: Headers): number {
  const t = /\bt=(\d+)/.exec(headers.get("ratelimit") ?? "")?.[1];
  return (t ? Number(t) : 60) * 1000 + 100;
}
