/** 简体中文: patients' points, tiers, perks and doctor recommendations. Merged in ./index.ts. */
export default {
  points: {},
};
