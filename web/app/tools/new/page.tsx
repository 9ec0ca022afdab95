import type { Metadata } from "next";
import { PageHeader } from "../../../components/shell/page-header";
import { HttpToolForm } from "../../../components/tools/http-tool-form";

export const metadata: Metadata = { title: "New HTTP tool" };

export default function NewToolPage() {
  return (
    <>
      <PageHeader title="New HTTP tool" description="An API the agent can call." />
      <HttpToolForm tool={null} />
    </>
  );
}
