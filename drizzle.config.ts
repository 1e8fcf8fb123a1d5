import { defineConfig } from 'drizzle-kit';

// SQL migrations for D1, applied by wrangler (npm start) and by the workerd tests alike.
export default defineConfig({
  dialect: 'sqlite',
  schema: './edge/db/schema.ts',
  out: './migrations',
});
