// How much fixed point costs: float vs quantized predictions and metrics,
// per model and fraction-bit setting. A setting that cannot represent the
// model or the data is reported with the reason, not skipped.
import type { Dataset } from "../model/train.js";
import { predict } from "../model/poly.js";
import type { FittedModel } from "../model/types.js";
import { buildExport } from "./write.js";
import { scoreOf } from "./reference.js";

export interface QuantizationRow {
  model: string;
  fracBits: number;
  /** Null when this setting cannot represent the model or data; see error. */
  r2Float: number | null;
  r2Fixed: number | null;
  mseFloat: number | null;
  mseFixed: number | null;
  maxAbsPredictionError: number | null;
  meanAbsPredictionError: number | null;
  error?: string;
}

export const REPORT_FRAC_BITS = [8, 10, 12, 14, 16, 18, 20];

export function quantizationReport(models: FittedModel[], test: Dataset, target: string, fracBits = REPORT_FRAC_BITS): QuantizationRow[] {
  return models.flatMap((model) => {
    const float = predict(model, test.x);
    return fracBits.map((F): QuantizationRow => {
      try {
        const bundle = buildExport(model, test, target, F);
        const score = scoreOf(bundle.output);
        let max = 0,
          sum = 0;
        bundle.predictions.forEach((q, i) => {
          const diff = Math.abs(q / 2 ** F - float[i]);
          max = Math.max(max, diff);
          sum += diff;
        });
        return {
          model: model.family,
          fracBits: F,
          r2Float: bundle.floatMetrics.r2,
          r2Fixed: score.r2,
          mseFloat: bundle.floatMetrics.mse,
          mseFixed: score.mse,
          maxAbsPredictionError: max,
          meanAbsPredictionError: sum / float.length,
        };
      } catch (err) {
        return {
          model: model.family,
          fracBits: F,
          r2Float: null,
          r2Fixed: null,
          mseFloat: null,
          mseFixed: null,
          maxAbsPredictionError: null,
          meanAbsPredictionError: null,
          error: (err as Error).message,
        };
      }
    });
  });
}
