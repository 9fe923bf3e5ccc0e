/** The workflow bundle's entry: every workflow type the worker registers. */
export { caseWorkflow } from './case/index';
export { cycleWorkflow } from './cycle';
export { evaluationWorkflow } from './evaluation/index';
export { monthlyOpenerWorkflow } from './monthly-opener';
