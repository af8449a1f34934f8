/** English: Patients' points, tiers, perks and doctor recommendations. Typed against zh-CN. */
import type pointsZh from "./points.zh-CN";

const pointsEn: typeof pointsZh = {
  points: {},
};

export default pointsEn;
