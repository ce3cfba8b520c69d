import { limiterContract } from '../../../test/support/limits/limiter-contract.ts';
import { MemoryLimiter } from './memory-limiter.ts';

limiterContract({
  name: 'MemoryLimiter',
  create: async ({ spendSource }) => new MemoryLimiter({ spendSource }),
});
