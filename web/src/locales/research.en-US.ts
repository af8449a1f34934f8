/** English: research projects and their Shapley allocation. Typed against zh-CN. */
import type researchZh from "./research.zh-CN";

const researchEn: typeof researchZh = {
  research: {
    nav: { projects: "Research allocation" },
    listTitle: "Research projects and allocation",
    listSubtitle:
      "Member hospitals research together; the proceeds are divided fairly by the Shapley value of the data each brings. Every step is signed by an alliance admin and recorded on chain.",
    detailTitle: "Research project",
    loadFailed: "Could not read the research project",
    tabs: { open: "Open", finalized: "Finalized", all: "All" },
    empty: "No research projects yet",
    newTitle: "New research project",
    create: "Sign and create",
    created: "The research project is on chain",
    title: "Title",
    total: "Total to divide",
    totalHint:
      "Whole units (e.g. yuan or points), all divided among the member hospitals by their Shapley values.",
    description: "Description",
    required: "Required",
    badTotal: "Enter a positive whole number",
    signHint:
      "Submitting signs with your key (EIP-712 ResearchAction); the alliance's account sends it to the chain.",
    allocated: "Allocated",
    members: "Member hospitals",
    noMembers: "No member hospitals yet",
    addMember: "Add a member hospital",
    memberAdded: "The hospital joined the project",
    hospital: "Hospital",
    createdAt: "Created",
    projectId: "Project id",
    inputsHash: "Inputs hash",
    noInputs: "Not committed yet",
    shapley: {
      title: "Shapley allocation",
      fromChain: "From chain data",
      fromInputs: "Check committed inputs",
      model:
        "Each member brings the records it (or its doctors) holds a research (level 2) grant on, each weighed by its latest rating (4×value score + 3×rarity score; unrated counts as level 1). A coalition S is worth v(S) = W(S)², W(S) being the weight of the records its members bring (a record brought twice counts once): pooled data is worth more. φ is in points and adds up to the weight of all the records.",
      method: { exact: "Exact", "monte-carlo": "Monte Carlo" },
      permutations: "{n} orders sampled",
      coalitions: "{n} coalitions enumerated",
      grand: "Total value v(N)",
      committed: "Matches the committed inputs",
      match: "Recorded allocations match the Shapley result",
      mismatch: "Recorded allocations differ from the Shapley result",
      records: "Records",
      standalone: "Alone",
      value: "Shapley value φ",
      share: "Share",
      amount: "Amount",
      recordedAmount: "Recorded",
      record: "Record on chain",
      recordText:
        "You will sign and record, one after another: the inputs (1 signature) and the amounts of {n} hospitals (1 each).",
      finalizeToo: "Finalize the project too (nothing can change afterwards)",
      recordConfirm: "Sign and record",
      recorded: "The Shapley allocation is recorded on chain",
    },
  },
};

export default researchEn;
