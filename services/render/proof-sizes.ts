/** The images a proof page becomes (see README, "Proof rendering"). */
export const PREVIEW_WIDTH = 1600;
/** The preview's smaller srcset widths, so a phone downloads what it shows. */
export const MEDIUM_WIDTH = 1200;
export const SMALL_WIDTH = 800;
/** What the portal shows on zoom: twice the preview, so a zoomed detail is sharper; watermarked, rendered on first request. */
export const ZOOM_WIDTH = 3200;
export const THUMBNAIL_WIDTH = 320;
/** The watermarked download: medium resolution, enough for a desk printer, useless for print. */
export const DOWNLOAD_DPI = 150;
/** Images have no physical size we can trust: their PDF page is as wide as an A4 page (595 pt). */
export const IMAGE_PAGE_WIDTH_PT = 595;
