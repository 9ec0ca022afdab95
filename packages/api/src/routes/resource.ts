import type { Page, ListQuery as RepoListQuery } from "@agentos/db";
import { createRoute, type OpenAPIHono, type z } from "@hono/zod-openapi";
import type { ApiEnv, Principal } from "../context";
import { requireJson } from "../middleware";
import { commonErrors, IdParams, json, jsonBody, ListQuery, pageOf, problem } from "../openapi-schemas";

export interface ResourceService<Entity, Create, Update> {
  list(principal: Principal, query: RepoListQuery): Promise<Page<Entity>>;
  get(principal: Principal, id: string): Promise<Entity>;
  create(principal: Principal, input: Create): Promise<Entity>;
  update(principal: Principal, id: string, input: Update): Promise<Entity>;
  delete(principal: Principal, id: string): Promise<void>;
}

export interface ResourceRoutesSpec<
  E extends z.ZodType,
  C extends z.ZodType,
  U extends z.ZodType,
  F extends z.ZodObject,
> {
  /** Collection path, e.g. `/api/agents`. */
  path: string;
  tag: string;
  /** Component name of the entity, e.g. `Agent`. */
  name: string;
  /** Plural noun for summaries, e.g. `agents`. */
  plural: string;
  entity: E;
  create: C;
  update: U;
  filters: F;
  service: ResourceService<z.output<E>, z.output<C>, z.output<U>>;
}

// The generic route configs defeat hono's inference of validated targets; the validators still run.
type Validated = { req: { valid(target: string): unknown } };
const valid = <T>(c: unknown, target: "json" | "param" | "query") => (c as Validated).req.valid(target) as T;

/** Registers list, create, get, update and delete for one resource, all documented in OpenAPI. */
export function registerResourceRoutes<
  E extends z.ZodType,
  C extends z.ZodType,
  U extends z.ZodType,
  F extends z.ZodObject,
>(app: OpenAPIHono<ApiEnv>, spec: ResourceRoutesSpec<E, C, U, F>): void {
  const entity = spec.entity.meta({ id: spec.name });
  const create = spec.create.meta({ id: `${spec.name}Create` });
  const update = spec.update.meta({ id: `${spec.name}Update` });
  const page = pageOf(entity, `${spec.name}Page`);
  const item = `${spec.path}/{id}`;
  const notFound = problem(`No such ${spec.name.toLowerCase()} in this workspace`);
  const { service } = spec;

  app.openapi(
    createRoute({
      method: "get",
      path: spec.path,
      tags: [spec.tag],
      summary: `List ${spec.plural}`,
      request: { query: ListQuery.extend(spec.filters.shape) },
      responses: { 200: json(page, `A page of ${spec.plural}`), ...commonErrors },
    }),
    async (c) => {
      const { limit, cursor, sort, q, ...filters } = c.req.valid("query") as z.output<typeof ListQuery> &
        Record<string, string | undefined>;
      const result = await service.list(c.get("principal"), { limit, cursor, sort, q, filters });
      return c.json(result as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: spec.path,
      tags: [spec.tag],
      summary: `Create a ${spec.name.toLowerCase()}`,
      middleware: [requireJson] as const,
      request: { body: jsonBody(create) },
      responses: {
        201: json(entity, `The new ${spec.name.toLowerCase()}`),
        409: problem("It collides with an existing one"),
        413: problem("The body is larger than the limit"),
        415: problem("The body is not JSON"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const created = await service.create(c.get("principal"), valid<z.output<C>>(c, "json"));
      return c.json(created as never, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: item,
      tags: [spec.tag],
      summary: `Get a ${spec.name.toLowerCase()}`,
      request: { params: IdParams },
      responses: { 200: json(entity, `The ${spec.name.toLowerCase()}`), 404: notFound, ...commonErrors },
    }),
    async (c) => c.json((await service.get(c.get("principal"), c.req.valid("param").id)) as never, 200),
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: item,
      tags: [spec.tag],
      summary: `Update a ${spec.name.toLowerCase()}`,
      description: "Fields left out keep their value.",
      middleware: [requireJson] as const,
      request: { params: IdParams, body: jsonBody(update) },
      responses: {
        200: json(entity, `The updated ${spec.name.toLowerCase()}`),
        404: notFound,
        409: problem("It collides with an existing one"),
        413: problem("The body is larger than the limit"),
        415: problem("The body is not JSON"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { id } = valid<{ id: string }>(c, "param");
      const updated = await service.update(c.get("principal"), id, valid<z.output<U>>(c, "json"));
      return c.json(updated as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: item,
      tags: [spec.tag],
      summary: `Delete a ${spec.name.toLowerCase()}`,
      request: { params: IdParams },
      responses: { 204: { description: "Deleted" }, 404: notFound, ...commonErrors },
    }),
    async (c) => {
      await service.delete(c.get("principal"), c.req.valid("param").id);
      return c.body(null, 204);
    },
  );
}
