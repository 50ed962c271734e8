// Ordinary least squares through ml-regression.
import { MultivariateLinearRegression } from "ml-regression";
import type { AffineModel } from "./types.js";

export function fitLinear(x: number[][], y: number[], featureNames: string[]): AffineModel {
  const mlr = new MultivariateLinearRegression(x, y.map((v) => [v]), { intercept: true });
  // ml-regression stores the d feature weights first and the intercept last.
  const column = mlr.weights.map((row) => row[0]);
  return { kind: "affine", family: "linear", featureNames, bias: column[featureNames.length], weights: column.slice(0, featureNames.length) };
}
