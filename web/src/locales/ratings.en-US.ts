/** English: Hospitals' value and rarity ratings of shared records, with the entropy hint. Typed against zh-CN. */
import type ratingsZh from "./ratings.zh-CN";

const ratingsEn: typeof ratingsZh = {
  ratings: {
    nav: { rate: "Rate shared data" },
    list: {
      title: "Rate shared data",
      subtitle:
        "Records patients shared with this hospital: rate their value and rarity with the entropy hint beside you. The rating goes on chain through the hospital's operator account; once settled, the patient earns contribution points.",
      empty: "No records to rate (a patient's active grant to this hospital is needed)",
      record: "Record",
      patient: "Patient",
      writtenBy: "Written by",
      myRating: "Our rating",
      settled: "Settled points",
      notRated: "Not rated",
      notSettled: "Not settled",
      rate: "Rate",
      settle: "Settle points",
      settledOk: "Settled: the record is worth {points} points",
      ratingShort: "value {value} · rarity {rarity}",
    },
    levels: {
      value: { 1: "Ordinary", 2: "High", 3: "Very high" },
      rarity: { 1: "Common", 2: "Uncommon", 3: "Rare" },
      score: "{n} pts",
    },
    dialog: {
      title: "Rate the data's value and rarity",
      value: "Value level",
      rarity: "Rarity level",
      submit: "Submit rating (on chain)",
      hint: "The rating is written to the ContributionPoints contract by this hospital's operator account; rating again replaces this hospital's earlier rating. Points are computed at settlement as 0.3×share + 0.4×value score + 0.3×rarity score.",
      rated: "Rating recorded on chain",
      current: "Our current rating: {rating} ({at})",
      valueRequired: "Choose a value level",
      rarityRequired: "Choose a rarity level",
      useSuggested: "Use the suggested level",
    },
    hint: {
      title: "Entropy hint",
      rule: "The more spread out the institutions that read the data, the higher its value.",
      suggested: "Suggested value level",
      bits: "Entropy",
      bitsValue: "{n} bits",
      effective: "Effective institutions",
      accesses: "Reads counted",
      distribution: "Reads by institution",
      trend: "Over time (every {days} days)",
      window: "Window",
      windowDays: "{n} days",
      noTrend: "No reads yet",
      unnamed: "Unnamed",
      accessCount: "{n}×",
      trendTip: "{from} – {to}: {n} reads, {bits} bits, suggested level {level}",
      note: "Only reads the chain granted under the patient's consent count; a doctor counts as their hospital, and the writing hospital counts too; the attending doctor's own reads, patients, guardians, regulators and emergency reads are left out.",
      explanation: {
        noAccesses: "No other institution has read this record under a grant yet: suggested level 1.",
        oneInstitution:
          "Reads come from about one institution (effective institutions < 2): suggested level 1.",
        fewInstitutions:
          "Reads are spread over a few institutions (2 ≤ effective institutions < 4): suggested level 2.",
        manyInstitutions:
          "Reads are spread over many institutions (effective institutions ≥ 4): suggested level 3.",
        spreading: "Recent reads are more spread out than before.",
        narrowing: "Recent reads are more concentrated than before.",
        steady: "Recent reads are as spread out as before.",
        otherAccessesLeftOut:
          "Reads by patients, guardians or regulators are not part of the institutions' distribution.",
      },
      levelTag: "Level {n}",
      yourOwn: "The suggestion is only a hint; the level is this hospital's own judgment.",
    },
  },
};

export default ratingsEn;
