"""What the browser flows share: a headless Chromium, checks that keep a screenshot of the page
that failed, axe at WCAG 2.1 AA, signing in, clicking and waiting.

Usage of a flow script: SCRIPT BASE_URL ARTIFACTS_DIR [more arguments]
"""
import base64
import os
import sys

from axe_core_python.selenium import Axe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

BASE, ARTIFACTS = sys.argv[1].rstrip("/"), sys.argv[2]
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
failures = []


def browser(size=(1400, 1000), phone=False):
    """Headless Chromium of that window size; a phone is emulated (touch, device pixels)."""
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=fr-FR"):
        options.add_argument(argument)
    if phone:
        options.add_argument("--hide-scrollbars")  # a phone's scrollbars overlay the page
        options.add_experimental_option("mobileEmulation", {
            "deviceMetrics": {"width": size[0], "height": size[1], "pixelRatio": 2.0, "touch": True}})
    else:
        options.add_argument(f"--window-size={size[0]},{size[1]}")
    driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
    driver.set_page_load_timeout(60)
    return driver


def check(name, driver, condition, detail=""):
    if condition:
        print(f"ok   {name}")
        return
    print(f"FAIL {name} {detail}")
    failures.append(name)
    os.makedirs(ARTIFACTS, exist_ok=True)
    base = os.path.join(ARTIFACTS, "".join(c if c.isalnum() else "-" for c in name)[:80])
    driver.save_screenshot(base + ".png")
    with open(base + ".html", "w", encoding="utf-8") as page:
        page.write(driver.page_source)


def accessible(name, driver):
    result = Axe().run(driver, options=WCAG_AA)
    violations = [f"{v['id']} ({len(v['nodes'])}: {v['nodes'][0]['target']})" for v in result["violations"]]
    check(f"{name}: WCAG 2.1 AA (axe)", driver, not violations, "; ".join(violations))


def sign_in(driver, login, password):
    driver.delete_all_cookies()
    driver.get(BASE + "/connexion")
    driver.find_element(By.ID, "identifiant").send_keys(login)
    driver.find_element(By.ID, "mot_de_passe").send_keys(password + Keys.ENTER)
    WebDriverWait(driver, 30).until(EC.presence_of_element_located((By.CSS_SELECTOR, "form.who")))


def click(driver, element, url_part):
    """Clicks, then waits for the next page: reading the old one while it unloads is a race."""
    element.click()
    WebDriverWait(driver, 30).until(EC.url_contains(url_part))


def text(driver):
    return driver.find_element(By.TAG_NAME, "main").text


def no_horizontal_scroll(name, driver, widths=(500, 1280)):
    """The page fits the window at phone and desktop widths (500 px is headless Chromium's
    narrowest); tables may scroll inside their own box."""
    for width in widths:
        driver.set_window_size(width, 1000)
        overflow = driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        check(f"{name}: no horizontal scroll at {width} px", driver, overflow <= 0, f"{overflow} px too wide")
    driver.set_window_size(1400, 1000)


PHONE, DESKTOP = (390, 844), (1280, 900)


def small_targets(driver, selector):
    return driver.execute_script("""
        return Array.from(document.querySelectorAll(arguments[0])).filter((e) => e.offsetParent !== null)
          .map((e) => [e, e.getBoundingClientRect()]).filter(([e, r]) => r.width < 44 || r.height < 44)
          .map(([e, r]) => (e.textContent.trim() || e.tagName) + ' ' + Math.round(r.width) + '×' + Math.round(r.height));
    """, selector)



def look(driver, width, role, name):
    """Screenshot, axe and sideways scroll of the page on screen."""
    folder = os.path.join(ARTIFACTS, "screens", str(width))
    os.makedirs(folder, exist_ok=True)
    slug = "".join(c if c.isalnum() else "-" for c in f"{role}-{name}")[:90]
    label = f"{role} · {name} at {width} px"
    # The whole page, not only what the screen shows, through the DevTools protocol.
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": {
        "x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 8000), "scale": 1}})
    with open(os.path.join(folder, slug + ".png"), "wb") as file:
        file.write(base64.b64decode(shot["data"]))
    overflow = driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    check(f"{label}: no horizontal scroll", driver, overflow <= 0, f"{overflow} px too wide")
    accessible(label, driver)
