import type { ListRules } from '../../kernel/list-options';

type SchemaMap = Record<string, Record<string, unknown>>;

/** A loaded provider (Karbor's `PluggableProtectionProvider`). */
export interface Provider {
  id: string;
  name: string;
  description: string;
  bank: string;
  /** Plugin name per protectable type. */
  plugins: Record<string, string>;
  /** Karbor's three schema maps, and verify_schema: the options a verification takes (docs/decisions.md, Verification). */
  extendedInfoSchema: { options_schema: SchemaMap; restore_schema: SchemaMap; saved_info_schema: SchemaMap; verify_schema: SchemaMap };
}

/** The provider port: the registry loaded at start-up. */
export interface ProviderCatalog {
  all(): readonly Provider[];
}

export const providerListRules: ListRules = {
  sortKeys: ['id', 'name', 'description', 'created_at'],
  memberFilters: ['name', 'description'],
  adminFilters: ['id'],
};
