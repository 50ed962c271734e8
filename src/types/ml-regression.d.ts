// ml-regression ships no types; it re-exports ml-regression-multivariate-linear, which does.
declare module "ml-regression" {
  export { default as MultivariateLinearRegression } from "ml-regression-multivariate-linear";
}
