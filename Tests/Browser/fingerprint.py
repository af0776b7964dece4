"""Direction receives the portfolio of a student who comes from a school of another
installation, on a phone (390 × 844) and a desktop (1280 × 900): the page shows the signing
key's fingerprint to compare, then receives the package once it is confirmed. Screenshots in
ARTIFACTS_DIR/screens/WIDTH/, axe and no sideways scroll at both widths.

Usage: fingerprint.py BASE_URL ARTIFACTS_DIR LOGIN PASSWORD STUDENT_ID PACKAGE
"""
import sys
import traceback

from browsing import *  # noqa: F401,F403

LOGIN, PASSWORD, STUDENT, PACKAGE = sys.argv[3:7]


def send(driver, confirm):
    details = driver.find_element(By.CSS_SELECTOR, "form[action$='/portfolio-precedent']").find_element(By.XPATH, "./ancestor::details")
    if not details.get_attribute("open"):
        details.find_element(By.TAG_NAME, "summary").click()
    driver.find_element(By.ID, "archive").send_keys(PACKAGE)
    if confirm:
        box = driver.find_element(By.ID, "empreinte")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
        box.click()
    button = driver.find_element(By.CSS_SELECTOR, "form[action$='/portfolio-precedent'] button[type=submit]")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    click(driver, button, "ok=recu" if confirm else "/portfolio-precedent")


for size, phone in ((PHONE, True), (DESKTOP, False)):
    driver = browser(size, phone=phone)
    try:
        sign_in(driver, LOGIN, PASSWORD)
        driver.get(f"{BASE}/eleves/{STUDENT}/portfolio")
        send(driver, confirm=False)
        check(f"direction at {size[0]} px: asked to compare the fingerprint", driver,
              "pas encore confirmé la clé" in text(driver) and driver.find_elements(By.ID, "empreinte"))
        look(driver, size[0], "direction", "portfolio from another school, fingerprint to compare")
        if phone:
            send(driver, confirm=True)
            check(f"direction at {size[0]} px: received once confirmed", driver, "ok=recu" in driver.current_url, driver.current_url)
            check(f"direction at {size[0]} px: shown as the previous school", driver, "Établissement précédent" in text(driver))
            driver.get(f"{BASE}/direction/emetteur")
            look(driver, size[0], "direction", "issuer, trusted schools")
            driver.find_element(By.XPATH, "//button[contains(., 'Ne plus faire confiance')]").click()
            WebDriverWait(driver, 30).until(EC.url_contains("confiance=retrait"))
    except Exception:
        check("fingerprint flow ran to its end", driver, False, traceback.format_exc(limit=4))
    finally:
        driver.quit()

sys.exit(1 if failures else 0)
