/** The images a proof page becomes (see README, "Proof rendering"). */
export const PREVIEW_WIDTH = 1600;
/** What the portal shows on zoom: twice the preview, so a zoomed detail is sharper. */
export const ZOOM_WIDTH = 3200;
export const THUMBNAIL_WIDTH = 320;
/** The watermarked download: medium resolution, enough for a desk printer, useless for print. */
export const DOWNLOAD_DPI = 150;
/** Images have no physical size we can trust: their PDF page is as wide as an A4 page (595 pt). */
export const IMAGE_PAGE_WIDTH_PT = 595;
