/**
 * The benchmark's workflow bundle: every production workflow plus the floor it is measured
 * against. The floor stays out of `workflows/`, so no production worker registers it.
 */
export * from '../../workflows/index';
export { benchFloorWorkflow } from './floor-workflow';
