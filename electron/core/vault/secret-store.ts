/** Storage primitive every vault backend implements; the vault adds name checking around it. */
export type SecretStore = {
  get(account: string): Promise<string | null>;
  set(account: string, value: string): Promise<void>;
  delete(account: string): Promise<boolean>;
};
