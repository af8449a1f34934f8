// Access-policy language for CP-ABE grants.
//
//   policy    := or
//   or        := and ("OR" and)*
//   and       := primary ("AND" primary)*
//   primary   := "(" or ")" | threshold | attribute
//   threshold := INTEGER "of" "(" or ("," or)* ")"
//   attribute := name ":" value        (letters, digits, "_", "-", "."; stored lower-case)
//
// AND/OR/of are case-insensitive. AND binds tighter than OR. Every gate is kept as a threshold gate
// (OR = 1 of n, AND = n of n) so the LSSS builder and the satisfiability check share one shape.

export type PolicyNode =
  | { kind: "attribute"; attribute: string }
  | { kind: "gate"; threshold: number; children: PolicyNode[] };

const ATTRIBUTE_PART = /^[a-z0-9_.-]+$/;

/** Lower-cases and checks one `name:value` attribute; throws naming what is wrong. */
export function normalizeAttribute(raw: string): string {
  if (typeof raw !== "string") throw new Error("attribute must be a string");
  const attribute = raw.trim().toLowerCase();
  const colon = attribute.indexOf(":");
  if (colon <= 0 || colon === attribute.length - 1 || attribute.indexOf(":", colon + 1) !== -1) {
    throw new Error(`attribute "${raw}" must have the form name:value`);
  }
  const name = attribute.slice(0, colon);
  const value = attribute.slice(colon + 1);
  if (!ATTRIBUTE_PART.test(name)) throw new Error(`attribute "${raw}": name may only use letters, digits, _ - .`);
  if (!ATTRIBUTE_PART.test(value)) throw new Error(`attribute "${raw}": value may only use letters, digits, _ - .`);
  return attribute;
}

type Token = { type: "(" | ")" | "," | "word"; text: string; position: number };

function tokenize(policy: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < policy.length) {
    const ch = policy[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "(" || ch === ")" || ch === ",") {
      tokens.push({ type: ch, text: ch, position: i });
      i++;
    } else if (/[A-Za-z0-9_.:-]/.test(ch)) {
      const start = i;
      while (i < policy.length && /[A-Za-z0-9_.:-]/.test(policy[i]!)) i++;
      tokens.push({ type: "word", text: policy.slice(start, i), position: start });
    } else {
      throw new Error(`policy syntax error at position ${i}: unexpected character "${ch}"`);
    }
  }
  return tokens;
}

class Parser {
  private index = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  parse(): PolicyNode {
    if (this.tokens.length === 0) throw new Error("policy is empty");
    const node = this.parseOr();
    const rest = this.peek();
    if (rest) throw this.error(rest, `unexpected "${rest.text}"; expected AND, OR or end of policy`);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private error(token: Token | undefined, message: string): Error {
    const position = token ? token.position : this.length;
    return new Error(`policy syntax error at position ${position}: ${message}`);
  }

  private isKeyword(token: Token | undefined, keyword: string): boolean {
    return token?.type === "word" && token.text.toLowerCase() === keyword;
  }

  private parseOr(): PolicyNode {
    const children = [this.parseAnd()];
    while (this.isKeyword(this.peek(), "or")) {
      this.index++;
      children.push(this.parseAnd());
    }
    return gate(1, children);
  }

  private parseAnd(): PolicyNode {
    const children = [this.parsePrimary()];
    while (this.isKeyword(this.peek(), "and")) {
      this.index++;
      children.push(this.parsePrimary());
    }
    return gate(children.length, children);
  }

  private expect(type: Token["type"], what: string): Token {
    const token = this.peek();
    if (!token || token.type !== type) {
      throw this.error(token, `expected ${what}, found ${token ? `"${token.text}"` : "end of policy"}`);
    }
    this.index++;
    return token;
  }

  private parsePrimary(): PolicyNode {
    const token = this.peek();
    if (!token) throw this.error(token, "expected an attribute, a threshold or \"(\", found end of policy");
    if (token.type === "(") {
      this.index++;
      const inner = this.parseOr();
      this.expect(")", '")"');
      return inner;
    }
    if (token.type !== "word") throw this.error(token, `expected an attribute, a threshold or "(", found "${token.text}"`);
    if (/^[0-9]+$/.test(token.text) && this.isKeyword(this.tokens[this.index + 1], "of")) return this.parseThreshold();
    if (this.isKeyword(token, "and") || this.isKeyword(token, "or") || this.isKeyword(token, "of")) {
      throw this.error(token, `expected an attribute before "${token.text}"`);
    }
    this.index++;
    try {
      return { kind: "attribute", attribute: normalizeAttribute(token.text) };
    } catch (cause) {
      throw this.error(token, (cause as Error).message);
    }
  }

  private parseThreshold(): PolicyNode {
    const countToken = this.peek()!;
    this.index += 2; // the number and "of"
    this.expect("(", '"(" after "of"');
    const children = [this.parseOr()];
    while (this.peek()?.type === ",") {
      this.index++;
      children.push(this.parseOr());
    }
    this.expect(")", '"," or ")"');
    const threshold = Number(countToken.text);
    if (threshold < 1 || threshold > children.length) {
      throw this.error(countToken, `threshold ${threshold} must be between 1 and the number of items (${children.length})`);
    }
    return gate(threshold, children);
  }
}

/** One child needs no gate; nested gates of the same kind (AND in AND, OR in OR) are flattened. */
function gate(threshold: number, children: PolicyNode[]): PolicyNode {
  if (children.length === 1) return children[0]!;
  const isAnd = threshold === children.length;
  const isOr = threshold === 1;
  const flat: PolicyNode[] = [];
  for (const child of children) {
    const childIsAnd = child.kind === "gate" && child.threshold === child.children.length;
    const childIsOr = child.kind === "gate" && child.threshold === 1;
    if (child.kind === "gate" && ((isAnd && childIsAnd) || (isOr && childIsOr && !isAnd))) flat.push(...child.children);
    else flat.push(child);
  }
  return { kind: "gate", threshold: isAnd ? flat.length : threshold, children: flat };
}

/** Parses a policy string into a tree of threshold gates over normalized attributes. */
export function parsePolicy(policy: string): PolicyNode {
  if (typeof policy !== "string") throw new Error("policy must be a string");
  return new Parser(tokenize(policy), policy.length).parse();
}

/** Every distinct attribute the policy mentions, in first-use order. */
export function policyAttributes(node: PolicyNode): string[] {
  const seen = new Set<string>();
  const visit = (n: PolicyNode): void => {
    if (n.kind === "attribute") seen.add(n.attribute);
    else n.children.forEach(visit);
  };
  visit(node);
  return [...seen];
}

/** Whether a set of attributes satisfies the policy (plain boolean evaluation). */
export function policySatisfied(node: PolicyNode, attributes: ReadonlySet<string>): boolean {
  if (node.kind === "attribute") return attributes.has(node.attribute);
  return node.children.filter((c) => policySatisfied(c, attributes)).length >= node.threshold;
}

/**
 * The canonical text of a policy: rendered from its parsed tree, so spacing, letter case and
 * redundant parentheses do not matter (`a:1 and (b:2)` → `a:1 AND b:2`). Two policies with one
 * canonical form are the same grant.
 */
export function canonicalPolicy(policy: string): string {
  const render = (node: PolicyNode, nested: boolean): string => {
    if (node.kind === "attribute") return node.attribute;
    const parts = node.children.map((c) => render(c, true));
    if (node.threshold === 1) return nested ? `(${parts.join(" OR ")})` : parts.join(" OR ");
    if (node.threshold === node.children.length) return nested ? `(${parts.join(" AND ")})` : parts.join(" AND ");
    return `${node.threshold} of (${node.children.map((c) => render(c, false)).join(", ")})`;
  };
  return render(parsePolicy(policy), false);
}
