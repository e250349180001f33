import type { Browser } from 'playwright-core'
import { CliError } from './cli.ts'

/** The chromium that prints: CHROMIUM_PATH, else Debian's (the `chromium` package `.ci/run` installs). */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.CHROMIUM_PATH?.trim() || '/usr/bin/chromium'
}

const launchArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
]

/**
 * Runs `use` with a headless chromium, closed afterwards whatever happens. A chromium that does not
 * start is a failure saying what to install, or how to do without the PDF.
 */
export async function withBrowser<T>(use: (browser: Browser) => Promise<T>): Promise<T> {
  const path = chromiumPath()
  // Loaded here, not with the module: only a PDF needs chromium's driver, which takes a second to load.
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({ executablePath: path, args: launchArgs }).catch((error: Error) => {
    const reason = error.message.split('\n')[0] ?? ''
    throw new CliError(
      `cannot start ${path} to print the PDF (${reason}): install Debian's chromium and ` +
        'fonts-noto-cjk (or set CHROMIUM_PATH), or leave the PDF out with --format html,json',
      1,
    )
  })
  try {
    return await use(browser)
  } finally {
    await browser.close()
  }
}

/**
 * Prints an HTML page to PDF (A4, backgrounds kept). The page loads nothing from the network: the
 * HTML is self-contained and its CJK text is set in the system's Noto Sans CJK fonts.
 */
export async function htmlToPdf(html: string, browser?: Browser): Promise<Uint8Array> {
  const print = async (b: Browser) => {
    const page = await b.newPage()
    try {
      await page.route('**/*', (route) => route.abort())
      await page.setContent(html, { waitUntil: 'load' })
      await page.evaluate('document.fonts.ready.then(() => true)')
      return new Uint8Array(
        await page.pdf({
          format: 'A4',
          printBackground: true,
          margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' },
        }),
      )
    } finally {
      await page.close()
    }
  }
  return browser ? print(browser) : withBrowser(print)
}

/** A PNG of an HTML page as printed to screen, `width` CSS pixels wide. */
export async function htmlToPng(html: string, browser: Browser, width = 900): Promise<Uint8Array> {
  const page = await browser.newPage({ viewport: { width, height: 600 } })
  try {
    await page.route('**/*', (route) => route.abort())
    await page.setContent(html, { waitUntil: 'load' })
    await page.evaluate('document.fonts.ready.then(() => true)')
    return new Uint8Array(await page.screenshot({ fullPage: true, type: 'png' }))
  } finally {
    await page.close()
  }
}
