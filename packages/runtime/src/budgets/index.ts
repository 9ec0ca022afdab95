export {
  BudgetExceeded,
  budgetCrossed,
  checkBudgets,
  type ModelCallEstimate,
  worstCaseCostUsd,
} from "./check";
