/** English: Patients' points, tiers, perks and doctor recommendations. Typed against zh-CN. */
import type pointsZh from "./points.zh-CN";

const pointsEn: typeof pointsZh = {
  points: {
    nav: { points: "My points", recommendations: "Recommended doctors" },
    my: {
      title: "My points",
      subtitle: "Contribution points from shared records, your tier and its perks",
      total: "Total points",
      tier: "Tier",
      settledRecords: "{n} settled records",
      next: "{points} points to {tier}",
      top: "Highest tier reached",
      perks: "Perks",
      owned: "Yours",
      notOwned: "Locked",
      records: "Points per record",
      recordId: "Record",
      share: "Share",
      value: "Value level",
      rarity: "Rarity level",
      recordPoints: "Points",
      settledAt: "Settled",
      unrated: "Unrated",
      empty: "No settled records yet",
      rule: "How points are counted",
      ruleText:
        "Points of a shared record = {share}·share + {value}·value score + {rarity}·rarity score. The share counts the institutions holding an active grant (1 for viewing, 2 for research); a record that is not shared earns nothing.",
      valueScores: "Value scores: level 1 {v1}, level 2 {v2}, level 3 {v3}",
      rarityScores: "Rarity scores: level 1 {r1}, level 2 {r2}, level 3 {r3}",
      tiers: "Tier thresholds",
      tierRow: "{tier}: from {points} points, perks: {perks}",
      noPerks: "none",
    },
    recommend: {
      title: "Recommended doctors",
      subtitle: "Doctors of a department suggested from visit feedback",
      department: "Department",
      allDepartments: "All departments",
      doctor: "Doctor",
      hospital: "Hospital",
      hospitalScore: "Hospital score",
      predicted: "Predicted rating",
      basis: "Based on",
      ratings: "Feedback",
      ratingsCell: "{n}, average {avg}",
      noRatings: "none yet",
      coldStart:
        "You have not rated a visit yet, so these doctors are ranked by their hospital's score. Rate your visits and the suggestions will follow your preferences.",
      empty: "No doctor to recommend in this department",
      bases: {
        blend: "Blended",
        "slope-one": "Slope One",
        "user-cf": "Similar patients",
        "cold-start": "Hospital score",
      },
      explain:
        "Doctors you have rated are not suggested again. Predicted ratings (1–5) blend weighted Slope One and user-based collaborative filtering.",
    },
  },
};

export default pointsEn;
