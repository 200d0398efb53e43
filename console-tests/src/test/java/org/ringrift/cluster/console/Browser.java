package org.ringrift.cluster.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium through the system chromedriver (no Selenium Manager: the build has no
 * internet). The browser's console log is collected so a test can assert that a page logged no
 * error; every test saves a screenshot under target/screenshots.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final ChromeDriver driver;

  Browser() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1400,1000", "--no-first-run", "--disable-extensions");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    this.driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
  }

  /** Skips nothing: the console tests need the browser; CI installs it (.ci/run). */
  static void requireInstalled() {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new AssertionError("the console tests need Debian's chromium and chromium-driver ("
          + CHROMIUM + ", " + CHROMEDRIVER + "): apt-get install -y chromium chromium-driver");
    }
  }

  ChromeDriver driver() {
    return driver;
  }

  void open(String url) {
    driver.get(url);
  }

  WebDriverWait waitUpTo(Duration timeout) {
    return new WebDriverWait(driver, timeout, Duration.ofMillis(100));
  }

  String text(String testId) {
    return element(testId).getText();
  }

  WebElement element(String testId) {
    return driver.findElement(By.cssSelector("[data-testid='" + testId + "']"));
  }

  List<WebElement> elements(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** The browser console entries since the last call (the driver hands each entry out once). */
  List<LogEntry> consoleLog() {
    return driver.manage().logs().get(LogType.BROWSER).getAll();
  }

  List<LogEntry> consoleErrors() {
    return consoleLog().stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
  }

  Path screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    Path file = SCREENSHOTS.resolve(name + ".png");
    Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    return file;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
