package dev.marginal.dashboard;

import static dev.marginal.dashboard.SeededOrganisations.ORG_A;
import static dev.marginal.dashboard.SeededOrganisations.ORG_B;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marginal.stack.PostgresServer;
import dev.marginal.stack.TrinoServer;
import dev.marginal.warehouse.access.Analysts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The founder dashboard against a real Trino (ports 22432 PostgreSQL, 22088 Trino, 22090 the
 * dashboard), driven in Debian's headless Chromium. Today is 2026-11-20 for the dashboard; the page
 * is switched to its 7-day window, 2026-11-14 … 2026-11-20. Expected figures are worked out from SeededOrganisations.
 */
class DashboardIT {

    static final int POSTGRES = 22432;
    static final int TRINO = 22088;
    static final int DASHBOARD = 22090;
    static final Clock TODAY = Clock.fixed(Instant.parse("2026-11-20T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    static Path home;
    static PostgresServer postgres;
    static TrinoServer trino;
    static DashboardServer dashboard;
    static String founderPassword;
    static String unmappedPassword;

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresServer.startForTests(home, POSTGRES);
        trino = TrinoServer.startForTests(home, TRINO, POSTGRES);
        try (Connection platform = trino.connect()) {
            SeededOrganisations.seed(platform);
            Analysts.assign(platform, "founder-a", ORG_A);
        }
        founderPassword = trino.security().addUser("founder-a");
        unmappedPassword = trino.security().addUser("unmapped");
        awaitLogin("founder-a", founderPassword);
        awaitLogin("unmapped", unmappedPassword);
        dashboard = new DashboardServer("127.0.0.1", DASHBOARD, trino.jdbcUrl(), 2, TODAY);
        dashboard.start();
    }

    @AfterAll
    static void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
        if (trino != null) {
            trino.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void founderSeesItsOrganisationsChartsWithTheSeededFigures() throws Exception {
        Chromium chromium = Chromium.locateOrInstall();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.browser().toFile());
        // --no-sandbox: Chromium's sandbox refuses to run as root, which CI is.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1800");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromium.driver().toFile())
                .usingAnyFreePort().build();
        WebDriver browser = new ChromeDriver(service, options);
        try {
            browser.get(base() + "/");
            assertThat(browser.getCurrentUrl()).endsWith("/login");
            browser.findElement(By.id("user")).sendKeys("founder-a");
            browser.findElement(By.id("password")).sendKeys(founderPassword);
            browser.findElement(By.id("login")).click();
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
            wait.until(b -> b.getCurrentUrl().endsWith("/orgs/" + ORG_A));
            wait.until(b -> b.findElement(By.tagName("body")).getAttribute("data-loads") != null);

            // The 7-day window, 2026-11-14 … 2026-11-20 (figures worked out in SeededOrganisations).
            int shown = Integer.parseInt(browser.findElement(By.tagName("body")).getAttribute("data-loads"));
            new Select(browser.findElement(By.id("days"))).selectByValue("7");
            wait.ignoring(StaleElementReferenceException.class).until(b ->
                    Integer.parseInt(b.findElement(By.tagName("body")).getAttribute("data-loads")) > shown
                            && points(b, "chart-daily", "revenue").size() == 7);

            // Totals: revenue 7 × 6.00 of subscriptions + 100 + 50 + 20 + 30 of usage = 242.00; cost 12.345 + 45.50
            // + 4.00 = 61.845 → 61.84 (half-even); fees 0.30; margin 242 − 61.845 − 0.30 = 179.855 → 179.86;
            // 17986 / 24200 = 74.3%. MRR: November's 30.00 (initech) + 150.00 (acme).
            assertThat(text(browser, "total-revenue")).isEqualTo("$242.00");
            assertThat(text(browser, "total-llm-cost")).isEqualTo("$61.84");
            assertThat(text(browser, "total-fees")).isEqualTo("$0.30");
            assertThat(text(browser, "total-gross-margin")).isEqualTo("$179.86");
            assertThat(text(browser, "total-margin-percent")).isEqualTo("74.3%");
            assertThat(text(browser, "current-mrr")).isEqualTo("$180.00");

            // The daily chart: one point per day and series, in minor units. 11-18: 6 + 100 − 12.345 = 93.655 → 93.66.
            assertThat(points(browser, "chart-daily", "revenue")).containsExactly(
                    "2026-11-14=600", "2026-11-15=600", "2026-11-16=600", "2026-11-17=600",
                    "2026-11-18=10600", "2026-11-19=7600", "2026-11-20=3600");
            assertThat(points(browser, "chart-daily", "llm-cost")).containsExactly(
                    "2026-11-14=0", "2026-11-15=0", "2026-11-16=0", "2026-11-17=0",
                    "2026-11-18=1234", "2026-11-19=4550", "2026-11-20=400");
            assertThat(points(browser, "chart-daily", "gross-margin")).containsExactly(
                    "2026-11-14=600", "2026-11-15=600", "2026-11-16=600", "2026-11-17=600",
                    "2026-11-18=9366", "2026-11-19=3050", "2026-11-20=3170");
            // MRR up to this month: the view's December (periods not yet renewed, churned) is not shown.
            assertThat(points(browser, "chart-mrr", "mrr")).containsExactly(
                    "2026-09=3000", "2026-10=15000", "2026-11=18000");
            assertThat(browser.findElement(By.id("chart-daily")).findElement(By.cssSelector("circle[data-period='2026-11-18'][data-series='gross-margin']"))
                    .getAttribute("data-text")).isEqualTo("$93.66");

            // Customers by margin over the window (the 999.00 of 2026-10-01 is outside it):
            // acme 35 + 100 + 50 = 185.00 − 22.345 = 162.655 → 162.66 (87.9%); initech 7 + 30 − 4 − 0.30 = 32.70
            // (88.4%); globex 20 − 35.50 = −15.50 (−77.5%), its cost sent under its external id.
            assertThat(rows(browser, "top-customers")).containsExactly(
                    "acme-robotics|$185.00|$22.34|$0.00|$162.66|87.9%",
                    "cus_initech|$37.00|$4.00|$0.30|$32.70|88.4%",
                    "globex|$20.00|$35.50|$0.00|-$15.50|-77.5%");
            assertThat(rows(browser, "bottom-customers").get(0)).isEqualTo("globex|$20.00|$35.50|$0.00|-$15.50|-77.5%");
            // Features: a customer-day's revenue goes to its features by their share of its cost. embeddings: acme's
            // 105.00 of 11-18 + a quarter of initech's 31.00 of 11-20 = 112.75, cost 13.345, margin 99.405 → 99.40;
            // chat: 55.00 + 20.00 + 23.25 = 98.25, cost 48.50, margin 49.75; days without cost: 4 × 5 + 5 + 6 × 1 = 31.00.
            assertThat(rows(browser, "features")).containsExactly(
                    "embeddings|$112.75|$13.34|$99.40|88.2%",
                    "chat.completion|$98.25|$48.50|$49.75|50.6%",
                    "(unallocated)|$31.00|$0.00|$31.00|100.0%");
            assertThat(bars(browser, "chart-features")).containsExactly(
                    "embeddings=9940", "chat.completion=4975", "(unallocated)=3100");
            // Models: gpt-4o's deltas add up to 6 calls and 48.50, 4850 / 6184 = 78.4% of the window's cost.
            assertThat(rows(browser, "models")).containsExactly(
                    "openai/gpt-4o|6|$48.50|78.4%",
                    "openai/text-embedding-3-large|5|$13.34|21.6%");

            // Freshness: org-a's newest event was accepted 90 s before seeding, not org-b's of "now".
            WebElement freshness = browser.findElement(By.id("freshness"));
            assertThat(freshness.getText()).matches("freshest data \\d+ (s|min) old");
            assertThat(Long.parseLong(freshness.getAttribute("data-age-seconds"))).isGreaterThanOrEqualTo(90);

            // Nothing of org-b anywhere on the page.
            assertThat(browser.getPageSource()).doesNotContain("b-secret", "$5,000.00", "$9,999.00");

            // It refreshes itself (every 2 s here): the load counter moves without a reload.
            int loads = Integer.parseInt(browser.findElement(By.tagName("body")).getAttribute("data-loads"));
            wait.until(b -> Integer.parseInt(b.findElement(By.tagName("body")).getAttribute("data-loads")) > loads);

            Path screenshots = Path.of(System.getProperty("marginal.screenshots", "target/screenshots"));
            Files.createDirectories(screenshots);
            Files.write(screenshots.resolve("dashboard-org-a.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } finally {
            browser.quit();
        }
    }

    @Test
    void anotherOrganisationsFiguresAreRefusedAndBadParametersAre400() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> anonymous = http.send(get("/orgs/" + ORG_A + "/figures", ""), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).contains("application/problem+json");

        HttpResponse<String> wrongPassword = http.send(login("founder-a", "not-the-password"), HttpResponse.BodyHandlers.ofString());
        assertThat(wrongPassword.statusCode()).isEqualTo(401);
        assertThat(wrongPassword.body()).contains("wrong user name or password");

        // A valid Trino login that reads no organisation gets no dashboard.
        HttpResponse<String> unmapped = http.send(login("unmapped", unmappedPassword), HttpResponse.BodyHandlers.ofString());
        assertThat(unmapped.statusCode()).isEqualTo(403);
        assertThat(unmapped.body()).contains("user unmapped may read no organisation");
        assertThat(unmapped.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> loggedIn = http.send(login("founder-a", founderPassword), HttpResponse.BodyHandlers.ofString());
        assertThat(loggedIn.statusCode()).isEqualTo(303);
        assertThat(loggedIn.headers().firstValue("Location")).contains("/orgs/" + ORG_A);
        String cookie = loggedIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];

        HttpResponse<String> other = http.send(get("/orgs/" + ORG_B + "/figures", cookie), HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.body()).contains("organization-forbidden").doesNotContain("5000");

        HttpResponse<String> badDays = http.send(get("/orgs/" + ORG_A + "/figures?days=abc", cookie), HttpResponse.BodyHandlers.ofString());
        assertThat(badDays.statusCode()).isEqualTo(400);
        assertThat(badDays.body()).contains("days must be a whole number from 1 to 366");
        HttpResponse<String> badCurrency = http.send(get("/orgs/" + ORG_A + "/figures?currency=xx1", cookie), HttpResponse.BodyHandlers.ofString());
        assertThat(badCurrency.statusCode()).isEqualTo(400);

        HttpResponse<String> figures = http.send(get("/orgs/" + ORG_A + "/figures?days=7", cookie), HttpResponse.BodyHandlers.ofString());
        assertThat(figures.statusCode()).isEqualTo(200);
        assertThat(figures.body()).contains("\"from\":\"2026-11-14\"", "\"minor\":24200").doesNotContain("b-secret");

        // Each panel's Trino time is on /metrics: the page just read answered DAILY and FEATURES at least once.
        HttpResponse<String> metrics = http.send(get("/metrics", ""), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).containsPattern("marginal_dashboard_query_seconds_count\\{panel=\"DAILY\"} [1-9]")
                .containsPattern("marginal_dashboard_query_seconds_count\\{panel=\"FEATURES\"} [1-9]");
    }

    @Test
    void trinoItselfHidesOtherOrganisationsFromTheFoundersLogin() throws Exception {
        // Even asked straight for org-b, the founder's own Trino login reads nothing of it: the row
        // filter, not the dashboard's session check, is what keeps organisations apart.
        try (Connection founder = trino.connect("founder-a", founderPassword)) {
            Figures figures = new FiguresReader(founder, new PanelTimes()).read(ORG_B, Optional.of("usd"), LocalDate.of(2026, 11, 20), 30);
            assertThat(figures.daily()).isEmpty();
            assertThat(figures.mrr()).isEmpty();
            assertThat(figures.topCustomers()).isEmpty();
            assertThat(figures.features()).isEmpty();
            assertThat(figures.models()).isEmpty();
            assertThat(figures.freshness().ageSeconds()).isEmpty();
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + DASHBOARD;
    }

    private static HttpRequest get(String path, String cookie) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path));
        if (!cookie.isEmpty()) {
            request.header("Cookie", cookie);
        }
        return request.build();
    }

    private static HttpRequest login(String user, String password) {
        return HttpRequest.newBuilder(URI.create(base() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("user=" + user + "&password=" + password)).build();
    }

    private static String text(WebDriver browser, String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private static List<String> points(WebDriver browser, String chart, String series) {
        return browser.findElement(By.id(chart)).findElements(By.cssSelector("circle.point[data-series='" + series + "']")).stream()
                .map(p -> p.getAttribute("data-period") + "=" + p.getAttribute("data-minor")).toList();
    }

    private static List<String> bars(WebDriver browser, String chart) {
        return browser.findElement(By.id(chart)).findElements(By.cssSelector("rect.bar")).stream()
                .map(b -> b.getAttribute("data-label") + "=" + b.getAttribute("data-minor")).toList();
    }

    private static List<String> rows(WebDriver browser, String table) {
        return browser.findElements(By.cssSelector("#" + table + " tbody tr")).stream()
                .map(row -> String.join("|", row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList()))
                .toList();
    }

    private static void awaitLogin(String user, String password) throws InterruptedException {
        for (int attempt = 0; attempt < 60; attempt++) {
            try (Connection login = trino.connect(user, password); var sql = login.createStatement()) {
                sql.execute("SELECT 1");
                return;
            } catch (java.sql.SQLException e) {
                Thread.sleep(500);
            }
        }
        throw new AssertionError("Trino never accepted " + user + "'s password");
    }
}
