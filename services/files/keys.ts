/** Where a revision's files live in the file store: everything of one revision under one prefix. */
export const revisionPrefix = (documentId: string, revisionId: string) => `proofs/${documentId}/${revisionId}/`;
export const sourceKey = (documentId: string, revisionId: string, index: number, extension: string) =>
  `${revisionPrefix(documentId, revisionId)}source-${index + 1}.${extension}`;
export type PageImageVariant = 'preview' | 'medium' | 'small' | 'thumbnail' | 'zoom';
export const pageImageKey = (documentId: string, revisionId: string, position: number, variant: PageImageVariant) =>
  `${revisionPrefix(documentId, revisionId)}pages/${position}-${variant}.jpg`;
export const watermarkedPdfKey = (documentId: string, revisionId: string) => `${revisionPrefix(documentId, revisionId)}watermarked.pdf`;
