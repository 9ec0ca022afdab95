import { FileIcon } from "lucide-react";
import type { Metadata } from "next";
import { FileActions, UploadFileButton } from "../../components/files/file-actions";
import { PageHeader } from "../../components/shell/page-header";
import { Badge } from "../../components/ui/badge";
import { EmptyState, ErrorAlert } from "../../components/ui/feedback";
import { Table, TBody, Td, THead, Th, Tr } from "../../components/ui/table";
import { formatBytes, formatTime, shortId } from "../../lib/format";
import { attempt, serverClient } from "../../lib/server-client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Files" };

export default async function FilesPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const { q } = await searchParams;
  const client = await serverClient();
  const page = await attempt(() => client.files.list({ limit: 200, ...(q ? { q } : {}) }));
  return (
    <>
      <PageHeader
        title="Files"
        description="Files uploaded to the workspace or written by agents' file tools."
        actions={<UploadFileButton />}
      />
      {!page.ok ? (
        <ErrorAlert error={page.error} />
      ) : page.value.items.length === 0 ? (
        <EmptyState icon={<FileIcon />} title="No files yet">
          Upload one here; agents with the read_file tool can then read it, and write_file stores what they
          produce.
        </EmptyState>
      ) : (
        <div className="rounded-lg border">
          <Table>
            <THead>
              <Tr>
                <Th>Name</Th>
                <Th>Type</Th>
                <Th className="text-right">Size</Th>
                <Th>Owner</Th>
                <Th>Uploaded</Th>
                <Th className="text-right">Actions</Th>
              </Tr>
            </THead>
            <TBody>
              {page.value.items.map((f) => (
                <Tr key={f.id}>
                  <Td className="font-medium">{f.name}</Td>
                  <Td className="font-mono text-xs">{f.mediaType}</Td>
                  <Td className="text-right tabular-nums">{formatBytes(f.size)}</Td>
                  <Td>
                    <Badge>
                      {f.owner.kind}
                      {f.owner.id ? ` ${shortId(f.owner.id)}` : ""}
                    </Badge>
                  </Td>
                  <Td className="text-muted-foreground text-xs">{formatTime(f.createdAt)}</Td>
                  <Td className="text-right">
                    <FileActions file={f} />
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </div>
      )}
    </>
  );
}
