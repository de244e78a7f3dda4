/**
 * The quote PDF, rendered from plain data and read back the way a reader would: pdf-lib
 * for the structure, poppler's pdftotext (Debian poppler-utils) for the words on the pages.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { PDFDocument } from 'pdf-lib';
import { layoutQuotePdf, type QuotePdfData } from '../../../services/render/quote-pdf';
import { computeTotals, formatMoney, priceLine } from '../../../domain/money';

const names = ['Åsa Öberg', 'Łódź', 'Дмитрий', 'Ελένη', 'Zoë Ångström'];

function quoteData(overrides: Partial<QuotePdfData> = {}): QuotePdfData {
  const lines = Array.from({ length: 60 }, (_, index) =>
    priceLine({
      description:
        index % 7 === 0
          ? `Brochure A4 ${index + 1} pour ${names[index % names.length]}, 16 pages quadrichromie recto verso sur couché demi-mat 135 g, pelliculage mat sur la couverture, piqûre à cheval`
          : `Article ${index + 1} — ${names[index % names.length]}`,
      quantity: index % 3 === 0 ? '2.5' : index + 1,
      unitPrice: 1250 + index * 37,
      taxRate: index % 4 === 0 ? '5.5' : 20,
      optional: index === 10 || index === 11,
      selected: index === 11,
    }),
  );
  return {
    locale: 'fr',
    currency: 'EUR',
    number: 'DEV-2026-0042',
    title: 'Impression — salon de Łódź',
    issuedAt: new Date('2026-03-02T09:30:00Z'),
    validUntil: new Date('2026-04-01T00:00:00Z'),
    seller: { identity: { legalName: 'Imprimerie Durand & Fils' } },
    customer: { name: 'Ελένη Παπαδοπούλου SA', email: 'eleni@example.gr' },
    contact: { name: 'Дмитрий Иванов', email: 'dmitri@example.ru' },
    lines,
    ...overrides,
  };
}

let workDir: string;
beforeAll(() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
  } catch {
    throw new Error('pdftotext is missing: install Debian poppler-utils (apt-get install -y poppler-utils)');
  }
  workDir = mkdtempSync(path.join(tmpdir(), 'quote-pdf-'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

let rendered = 0;

/** The text of every page, pages separated by form feeds (pdftotext's own convention). */
function pdfText(bytes: Uint8Array): string {
  rendered += 1;
  const file = path.join(workDir, `quote-${rendered}.pdf`);
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

describe('layoutQuotePdf', () => {
  it('lays a long quote over several A4 pages, numbered, with the header repeated', async () => {
    const bytes = await layoutQuotePdf(quoteData());
    const pdf = await PDFDocument.load(bytes);
    const pageCount = pdf.getPageCount();
    expect(pageCount).toBeGreaterThan(1);
    const { width, height } = pdf.getPage(0).getSize();
    expect([Math.round(width), Math.round(height)]).toEqual([595, 842]);

    const pages = pdfText(bytes).split('\f').filter((page) => page.trim());
    expect(pages).toHaveLength(pageCount);
    pages.forEach((page, index) => {
      expect(page).toContain(`Page ${index + 1}/${pageCount}`);
      expect(page).toContain('Désignation');
      expect(page).toContain('Prix unit. HT');
    });
  });

  it('prints accented and non-Latin names as written', async () => {
    const text = pdfText(await layoutQuotePdf(quoteData()));
    for (const name of [...names, 'Ελένη Παπαδοπούλου SA', 'Дмитрий Иванов', 'Imprimerie Durand & Fils', 'piqûre']) {
      expect(text).toContain(name);
    }
    expect(text).toContain('DEV-2026-0042');
    expect(text).toContain('2 mars 2026');
    expect(text).toContain('Valable jusqu’au 1 avril 2026');
    expect(text).toContain('À l’attention de Дмитрий Иванов');
  });

  it('prints tax per rate and the totals, leaving unselected optional lines out', async () => {
    const data = quoteData();
    // A label and its amount sit at both ends of a row: read them as one line of words.
    const text = pdfText(await layoutQuotePdf(data)).replace(/\s+/g, ' ');
    const totals = computeTotals(data.lines, 'EUR');
    const everyLine = computeTotals(
      data.lines.map((line) => ({ ...line, optional: false })),
      'EUR',
    );
    expect(totals.net).toBeLessThan(everyLine.net);

    expect(text).toContain(`Total HT ${formatMoney(totals.net, 'EUR', 'fr')}`);
    expect(text).toContain(`Total TVA ${formatMoney(totals.tax, 'EUR', 'fr')}`);
    expect(text).toContain(`Total TTC ${formatMoney(totals.gross, 'EUR', 'fr')}`);
    expect(text).toContain('TVA 5,5 % sur');
    expect(text).toContain('TVA 20 % sur');
    expect(text).toContain('Option, non incluse dans le total');
    expect(text).not.toContain(formatMoney(everyLine.gross, 'EUR', 'fr'));
  });

  it.each([
    ['en', ['Quote', 'Description', 'Unit price', 'Total due', 'Valid until April 1, 2026']],
    ['sv', ['Offert', 'Beskrivning', 'À-pris', 'Att betala', 'Giltig till 1 april 2026']],
  ] as const)('speaks the customer’s language (%s)', async (locale, words) => {
    const text = pdfText(await layoutQuotePdf(quoteData({ locale, currency: 'SEK' })));
    for (const word of words) expect(text).toContain(word);
    expect(text).toContain(formatMoney(computeTotals(quoteData().lines, 'SEK').gross, 'SEK', locale));
  });

  it('gives the same bytes for the same data', async () => {
    const [first, second] = await Promise.all([layoutQuotePdf(quoteData()), layoutQuotePdf(quoteData())]);
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
    const pdf = await PDFDocument.load(first, { updateMetadata: false });
    expect(pdf.getCreationDate()?.toISOString()).toBe('2026-03-02T09:30:00.000Z');
    expect(pdf.getTitle()).toBe('Devis DEV-2026-0042');
  });

  it('continues a line longer than a page on the next pages', async () => {
    const specification = Array.from({ length: 120 }, (_, index) => `Clause ${index + 1}: papier couché demi-mat 135 g, livraison à Łódź.`).join('\n');
    const data = quoteData({ lines: [priceLine({ description: specification, quantity: 1, unitPrice: 990000, taxRate: 20 })] });
    const bytes = await layoutQuotePdf(data);
    const pageCount = (await PDFDocument.load(bytes)).getPageCount();
    expect(pageCount).toBeGreaterThanOrEqual(3);

    const pages = pdfText(bytes).split('\f').filter((page) => page.trim());
    const clausesPerPage = pages.map((page) => page.match(/Clause \d+:/g)?.length ?? 0);
    expect(clausesPerPage.reduce((sum, count) => sum + count, 0)).toBe(120);
    expect(pages[pageCount - 1]).toContain('Clause 120:');
    expect(pages[pageCount - 1]).toContain(`Total TTC ${formatMoney(computeTotals(data.lines, 'EUR').gross, 'EUR', 'fr')}`);
  });

  it('carries the seller: logo, legal name and address at the top, ids on every page, due date, terms and bank details on an invoice', async () => {
    const logo = await sharp({ create: { width: 400, height: 100, channels: 3, background: '#203060' } }).png().toBuffer();
    const data = quoteData({
      kind: 'invoice',
      // Late evening in Paris is the next day in Tokyo: the reader's zone decides the date.
      issuedAt: new Date('2026-03-02T23:30:00Z'),
      dueDate: new Date('2026-04-01T22:00:00Z'),
      timeZone: 'Asia/Tokyo',
      seller: {
        identity: {
          legalName: 'Imprimerie Durand SARL',
          address: '12 rue des Presses\n69002 Lyon',
          phone: '+33 4 78 00 00 00',
          taxId: 'FR40303265045',
          companyId: 'SIRET 303 265 045 00027',
          bankDetails: 'IBAN FR76 3000 6000 0112 3456 7890 189',
          paymentTerms: 'Paiement à 30 jours.',
          brandColor: '#f4c20d',
        },
        logo: { png: logo, width: 400, height: 100 },
      },
    });
    const bytes = await layoutQuotePdf(data);
    const pages = pdfText(bytes).split('\f').filter((page) => page.trim());
    const first = pages[0] ?? '';
    for (const text of ['Imprimerie Durand SARL', '12 rue des Presses', '69002 Lyon', '+33 4 78 00 00 00', 'Facture', 'Date 3 mars 2026', 'Échéance 2 avril 2026']) {
      expect(first).toContain(text);
    }
    const last = pages.at(-1) ?? '';
    expect(last).toContain('IBAN FR76 3000 6000 0112 3456 7890 189');
    expect(last).toContain('Paiement à 30 jours.');
    for (const page of pages) expect(page).toContain('Imprimerie Durand SARL · 12 rue des Presses, 69002 Lyon · N° TVA FR40303265045 · SIRET 303 265 045 00027');
    // The logo is in the file once, however many pages there are.
    const file = path.join(workDir, 'with-logo.pdf');
    writeFileSync(file, bytes);
    const images = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(images).toHaveLength(1);
    expect(images[0]).toMatch(/^\s*1\s+0\s+image\s+400\s+100\s/);
    // A quote has no payment block.
    const quote = pdfText(await layoutQuotePdf({ ...data, kind: 'quote', dueDate: undefined }));
    expect(quote).not.toContain('IBAN');
  });

  it('fits a one-line quote on one page', async () => {
    const data = quoteData({ lines: [priceLine({ description: 'Cartes de visite', quantity: 500, unitPrice: 12, taxRate: 20 })] });
    const pdf = await PDFDocument.load(await layoutQuotePdf(data));
    expect(pdf.getPageCount()).toBe(1);
    expect(pdfText(await pdf.save())).toContain('Page 1/1');
  });
});
