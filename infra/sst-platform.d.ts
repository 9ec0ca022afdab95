// The globals SST's platform gives sst.config.ts (`sst install` writes the real declarations to
// .sst/platform/, which needs the SST CLI). This shim types the parts the config uses, so that
// `tsc -p infra` checks sst.config.ts here; infra/src/cloud/sst-config.test.ts runs it against a fake.
interface SstOutput<T> {
  apply<U>(fn: (value: T) => U): SstOutput<U>;
}
interface SstSecret {
  readonly value: SstOutput<string>;
}
declare const $app: { readonly stage: string; readonly name: string };
declare function $config<T extends { app(input?: { stage?: string }): unknown; run(): Promise<unknown> }>(
  config: T,
): T;
declare const sst: {
  Secret: new (name: string) => SstSecret;
  aws: {
    Vpc: new (
      name: string,
      args?: Record<string, unknown>,
    ) => {
      id: SstOutput<string>;
      publicSubnets: SstOutput<string[]>;
      privateSubnets: SstOutput<string[]>;
      securityGroups: SstOutput<string[]>;
      nodes: { vpc: { cidrBlock: SstOutput<string> } };
    };
    Nextjs: new (name: string, args: Record<string, unknown>) => { url: SstOutput<string> };
  };
};
// Pulumi's AWS provider: typed loosely here; the SST CLI checks it against the real types.
// biome-ignore lint/suspicious/noExplicitAny: the full provider typings come with `sst install`.
declare const aws: any;
