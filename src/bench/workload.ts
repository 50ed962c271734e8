// The workload ladder: the models a sweep proves, from the least work per
// sample to the most. The zkVM's cost grows with the terms each sample's
// prediction sums (d = 7 default features: 8, 8, 36 and 120 with the bias),
// which is the axis the paper's question needs ("which prover for heavier
// models?"). Each is a model family at a polynomial degree; the trainer's
// poly-ridge is degree 2 unless asked, so the degree-3 model is fitted here
// the same way on the claim's training rows.
import type { Dataset, TrainedModels } from "../model/train.js";
import { fitPolyRidge } from "../model/train.js";
import type { FittedModel, ModelFamily } from "../model/types.js";

export const WORKLOADS = ["linear", "ridge", "poly2", "poly3"] as const;
export type Workload = (typeof WORKLOADS)[number];

export interface WorkloadShape {
  family: ModelFamily;
  degree: 1 | 2 | 3;
  /** spec/FORMAT.md's model kind. */
  kind: "affine" | "polynomial";
  /** How tables and figures name it. */
  label: string;
}

export const WORKLOAD: Record<Workload, WorkloadShape> = {
  linear: { family: "linear", degree: 1, kind: "affine", label: "linear" },
  ridge: { family: "ridge", degree: 1, kind: "affine", label: "ridge" },
  poly2: { family: "poly-ridge", degree: 2, kind: "polynomial", label: "poly-ridge, degree 2" },
  poly3: { family: "poly-ridge", degree: 3, kind: "polynomial", label: "poly-ridge, degree 3" },
};

/** The names a flag accepts: the workloads, and `poly-ridge` for the trainer's default degree (2). */
export function parseWorkload(v: string): Workload {
  if (v === "poly-ridge") return "poly2";
  if ((WORKLOADS as readonly string[]).includes(v)) return v as Workload;
  throw new Error(`unknown model '${v}' (known: ${WORKLOADS.join(", ")}; poly-ridge means poly2)`);
}

/** Weighted terms per sample with the bias: every monomial of degree 0..degree over d features, C(d + degree, degree). */
export function termsOf(w: Workload, d: number): number {
  const { degree } = WORKLOAD[w];
  let c = 1;
  for (let i = 1; i <= degree; i++) c = (c * (d + i)) / i;
  return c;
}

/** Where a workload's full-test-set export is published (`outputs/export/<name>`):
 *  the trainer's families by their names; the degree-3 model has none (a claim
 *  of it is proven without a published export to compare with). */
export function exportNameOf(w: Workload): string | null {
  return w === "poly3" ? null : WORKLOAD[w].family;
}

/** The fitted model of each workload, the test set and the target: what a sweep's inputs are made of. */
export interface WorkloadModels {
  target: string;
  test: Dataset;
  featureNames: string[];
  model(w: Workload): FittedModel;
}

/** The trained families as workloads; a polynomial degree the trainer did not
 *  fit is fitted on demand (the same ridge CV on the same training rows and
 *  folds: at degree 2 it reproduces the trainer's model exactly). */
export function workloadModels(trained: TrainedModels): WorkloadModels {
  const fitted = new Map<Workload, FittedModel>();
  return {
    target: trained.target,
    test: trained.test,
    featureNames: trained.featureNames,
    model(w) {
      let m = fitted.get(w);
      if (m) return m;
      const { family, degree } = WORKLOAD[w];
      const trainerModel = trained.models[family];
      if (trainerModel.kind === "affine" || trainerModel.degree === degree) m = trainerModel;
      else
        m = fitPolyRidge(trained.train.x, trained.train.y, trained.featureNames, {
          folds: trained.claim.cvFolds,
          lambdas: trained.cv["poly-ridge"].map((c) => c.lambda), // the trainer's grid
          polyDegree: degree as 2 | 3,
          zClip: trainerModel.zClip,
          seed: trained.claim.seed,
        }).model;
      fitted.set(w, m);
      return m;
    },
  };
}
