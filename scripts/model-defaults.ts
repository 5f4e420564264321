// Prints the model-defaults table for README: node --import tsx scripts/model-defaults.ts
import { modelDefaultsTable } from '../src/domain/burnout/defaults-table.ts';
console.log(modelDefaultsTable());
