// The cloud shape: web on sst.aws.Nextjs (Lambda), worker hosts on EC2 with Docker behind an ALB
// (Fargate cannot run sandbox containers), Turso/libSQL, Inngest. Every computed setting (env per
// process, ports, health checks, scaling) comes from infra/src/cloud, which tests check; this file
// only turns it into resources. Secrets: `sst secret set <Name> <value>` for each of shape.secrets.
export default $config({
  app(input) {
    return {
      name: "agentos-studio",
      home: "aws",
      removal: input?.stage === "production" ? "retain" : "remove",
    };
  },
  async run() {
    const { cloudShape } = await import("./infra/src/cloud");
    const domain = process.env.AGENTOS_DOMAIN ?? "example.com";
    const shape = cloudShape({
      stage: $app.stage,
      domain,
      workerImage: process.env.AGENTOS_WORKER_IMAGE ?? "agentos/worker:latest",
    });
    const region = aws.getRegionOutput().name;
    const secrets = Object.fromEntries(
      Object.entries(shape.secrets).map(([name, variable]) => [variable, new sst.Secret(name)]),
    );
    // The workers read their secrets at boot from SSM (SecureString), not from the launch template.
    for (const [variable, secret] of Object.entries(secrets)) {
      new aws.ssm.Parameter(`Param${variable}`, {
        name: `${shape.parameterPrefix}/${variable}`,
        type: "SecureString",
        value: secret.value,
      });
    }

    const vpc = new sst.aws.Vpc("Vpc", { nat: "ec2" });
    const web = new sst.aws.Nextjs("Web", {
      path: "web",
      domain: shape.web.domain,
      // In the VPC: web calls the workers' internal API at their private addresses.
      vpc,
      environment: {
        ...shape.web.spec.env,
        ...Object.fromEntries(shape.web.spec.secrets.map((v) => [v, secrets[v]!.value])),
      },
    });

    const workerSg = new aws.ec2.SecurityGroup("WorkerSg", {
      vpcId: vpc.id,
      ingress: shape.worker.spec.ports.map((p) => ({
        protocol: "tcp",
        fromPort: p.port,
        toPort: p.port,
        cidrBlocks: [vpc.nodes.vpc.cidrBlock],
      })),
      egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
    });
    const role = new aws.iam.Role("WorkerRole", {
      assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "ec2.amazonaws.com" }),
      inlinePolicies: [
        {
          name: "read-agentos-parameters",
          policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Action: ["ssm:GetParametersByPath"], Resource: "*" },
              { Effect: "Allow", Action: ["kms:Decrypt"], Resource: "*" },
            ],
          }),
        },
      ],
      managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],
    });
    const template = new aws.ec2.LaunchTemplate("WorkerTemplate", {
      imageId: aws.ssm.getParameterOutput({
        name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
      }).value,
      instanceType: shape.worker.instanceType,
      iamInstanceProfile: { arn: new aws.iam.InstanceProfile("WorkerProfile", { role: role.name }).arn },
      vpcSecurityGroupIds: [workerSg.id],
      metadataOptions: { httpTokens: "required" },
      userData: region.apply((r: string) =>
        Buffer.from(shape.worker.userData(shape.parameterPrefix, r)).toString("base64"),
      ),
    });

    const alb = new aws.lb.LoadBalancer("WorkerAlb", {
      loadBalancerType: "application",
      subnets: vpc.publicSubnets,
      securityGroups: vpc.securityGroups,
    });
    const targetGroups = shape.worker.routes.map(
      (route) =>
        new aws.lb.TargetGroup(`Worker${route.name}`, {
          vpcId: vpc.id,
          port: route.port,
          protocol: "HTTP",
          deregistrationDelay: shape.worker.spec.terminationGraceSeconds,
          healthCheck: {
            path: route.health.path,
            port: String(route.health.port),
            interval: route.health.periodSeconds,
            timeout: route.health.timeoutSeconds,
            unhealthyThreshold: route.health.failureThreshold,
          },
        }),
    );
    const certificate = new aws.acm.Certificate("WorkerCert", {
      domainName: `*.sites.${domain}`,
      subjectAlternativeNames: [`workers.${domain}`],
      validationMethod: "DNS",
    });
    const listener = new aws.lb.Listener("WorkerHttps", {
      loadBalancerArn: alb.arn,
      port: 443,
      protocol: "HTTPS",
      certificateArn: certificate.arn,
      defaultActions: [
        { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } },
      ],
    });
    shape.worker.routes.forEach((route, index) => {
      new aws.lb.ListenerRule(`Worker${route.name}Rule`, {
        listenerArn: listener.arn,
        priority: 10 + index,
        conditions: [{ hostHeader: { values: route.hosts } }, { pathPattern: { values: route.paths } }],
        actions: [{ type: "forward", targetGroupArn: targetGroups[index]!.arn }],
      });
    });

    const fleet = new aws.autoscaling.Group("Workers", {
      minSize: shape.worker.scaling.min,
      maxSize: shape.worker.scaling.max,
      vpcZoneIdentifiers: vpc.privateSubnets,
      launchTemplate: { id: template.id, version: "$Latest" },
      targetGroupArns: targetGroups.map((g) => g.arn),
      healthCheckType: "ELB",
      healthCheckGracePeriod: shape.worker.scaling.warmupSeconds,
    });
    new aws.autoscaling.Policy("WorkersCpu", {
      autoscalingGroupName: fleet.name,
      policyType: "TargetTrackingScaling",
      estimatedInstanceWarmup: shape.worker.scaling.warmupSeconds,
      targetTrackingConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
        targetValue: shape.worker.scaling.cpuTargetPercent,
      },
    });

    return {
      studio: web.url,
      workers: alb.dnsName,
      inngestServeUrl: shape.worker.inngestServeUrl,
      sites: `*.sites.${domain}: a CNAME to the workers ALB`,
    };
  },
});
