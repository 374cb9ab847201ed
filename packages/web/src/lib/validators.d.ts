/** Generated at build time by packages/web/build/validators.ts (Ajv standalone code). */
declare module "virtual:kundenakte/validators" {
  import type { TSchema } from "@sinclair/typebox";

  interface ValidatorError {
    instancePath: string;
    keyword: string;
    params: Record<string, unknown>;
    message?: string;
  }
  export interface Validator {
    (data: unknown): boolean;
    errors?: ValidatorError[] | null;
  }
  export const validators: Map<TSchema, Validator>;
}
