"""A student who left, on a phone (390 × 844) and a desktop (1280 × 900): signing in lands on
the download of their portfolio, which works; any other page leads back there. Screenshots in
ARTIFACTS_DIR/screens/WIDTH/, axe and no sideways scroll at both widths.

Usage: leaver.py BASE_URL ARTIFACTS_DIR LOGIN PASSWORD
"""
import sys
import traceback

from browsing import *  # noqa: F401,F403

LOGIN, PASSWORD = sys.argv[3], sys.argv[4]

for size, phone in ((PHONE, True), (DESKTOP, False)):
    driver = browser(size, phone=phone)
    try:
        sign_in(driver, LOGIN, PASSWORD)
        driver.get(BASE + "/eleve")
        check(f"leaver at {size[0]} px: lands on the download page", driver, driver.current_url.endswith("/depart"), driver.current_url)
        look(driver, size[0], "eleve-parti", "download after leaving")
        check(f"leaver at {size[0]} px: told until when", driver, "Tu peux le télécharger jusqu’au" in text(driver))
        link = driver.find_element(By.CSS_SELECTOR, "a[href='/eleve/portfolio.zip']")
        box = link.rect
        check(f"leaver at {size[0]} px: the download is a thumb-sized button", driver, box["height"] >= 44, f"{box}")
        driver.get(BASE + "/eleve/badges")
        check(f"leaver at {size[0]} px: other pages lead back to the download", driver, driver.current_url.endswith("/depart"))
    except Exception:
        traceback.print_exc()
        failures.append("exception")
    finally:
        driver.quit()

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
