// The cloud shape (web on sst.aws.Nextjs, worker hosts on EC2-backed ECS, Turso, Inngest) is
// described here once the deployment issue lands; the computed settings will live in typed
// modules under infra/ so that tests can check them without the SST CLI.
export default $config({
  app(input) {
    return {
      name: "agentos-studio",
      home: "aws",
      removal: input?.stage === "production" ? "retain" : "remove",
    };
  },
  async run() {},
});
