package io.proxplane.chart;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.proxplane.chart.ChartFixture.projectRoot;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * images/<component>/Dockerfile copies the runnable jar the Maven build really produces (the
 * shade plugin's outputFile of the module), runs it as the chart's non-root uid, and installs a
 * JRE new enough for the bytecode level. Images cannot be built here, so this reads the files.
 */
class ImagesTest {
    private static final Pattern COPY = Pattern.compile("(?m)^COPY\\s+(\\S+\\.jar)\\s+(\\S+)$");
    private static final Pattern OUTPUT_FILE = Pattern.compile("<outputFile>\\$\\{project\\.build\\.directory}/([^<]+\\.jar)</outputFile>");

    record Image(String directory, String module, String jarInImage) {}

    static final List<Image> IMAGES = List.of(
            new Image("operator", "operator", "/app/proxplane-operator.jar"),
            new Image("ldap-gateway", "ldap-gateway", "/app/ldap-gateway.jar"),
            new Image("edge-agent", "edge-agent", "/app/edge-agent.jar"));

    @Test
    void theGatewayAndEdgeImagesCopyTheShadedJarsTheirModulesBuild() throws IOException {
        for (Image image : IMAGES.subList(1, 3)) {
            assertCopiesShadedJar(image, shadedJar(image.module()).orElseThrow(
                    () -> new AssertionError(image.module() + "/pom.xml has no shade outputFile")));
        }
    }

    @Test
    void theOperatorImageCopiesTheShadedJarTheOperatorBuilds() throws IOException {
        Image operator = IMAGES.getFirst();
        // the contract fixes the path in the image whatever the build calls the file
        assertThat(dockerfile(operator)).contains("\"-jar\", \"/app/proxplane-operator.jar\"");
        Optional<String> jar = shadedJar(operator.module());
        Assumptions.assumeTrue(jar.isPresent(), "operator/pom.xml builds no shaded jar on this branch yet;"
                + " images/operator/Dockerfile assumes operator/target/proxplane-operator.jar");
        assertCopiesShadedJar(operator, jar.get());
    }

    @Test
    void everyImageRunsAsTheChartsNonRootUidWithAJreForTheBytecodeLevel() throws IOException {
        int release = Integer.parseInt(matchOne(Files.readString(projectRoot().resolve("pom.xml")),
                "<maven\\.compiler\\.release>(\\d+)</maven\\.compiler\\.release>"));
        long chartUid = ChartFixture.readYaml(ChartFixture.chartDir().resolve("values.yaml"))
                .path("podSecurityContext").path("runAsUser").asLong();
        for (Image image : IMAGES) {
            String text = dockerfile(image);
            // numeric, or the kubelet cannot verify runAsNonRoot
            assertThat(matchOne(text, "(?m)^USER\\s+(\\d+)(?::\\d+)?$")).as(image.directory()).isEqualTo(Long.toString(chartUid));
            assertThat(chartUid).isPositive();
            int jre = Integer.parseInt(matchOne(text, "openjdk-(\\d+)-jre-headless"));
            assertThat(jre).as("%s JRE version", image.directory()).isGreaterThanOrEqualTo(release);
        }
    }

    @Test
    void theEdgeImageCarriesWhatEdgeAgentRunsAndAnInitThatReapsTheDaemons() throws IOException {
        String text = dockerfile(IMAGES.get(2));
        for (String pkg : List.of("nginx", "libnginx-mod-stream", "dnsmasq-base", "tini", "procps")) {
            assertThat(text).as("installs %s", pkg).containsPattern("(?s)apt-get install[^&]*\\s" + Pattern.quote(pkg) + "\\s");
        }
        assertThat(matchOne(text, "(?m)^ENTRYPOINT\\s+(.+)$")).startsWith("[\"/usr/bin/tini\", \"--\", \"java\"");
    }

    // ---------------------------------------------------------------------------------------------

    private static void assertCopiesShadedJar(Image image, String jarName) throws IOException {
        Matcher copy = COPY.matcher(dockerfile(image));
        assertThat(copy.find()).as("%s Dockerfile copies a jar", image.directory()).isTrue();
        assertThat(copy.group(1)).as("%s Dockerfile source", image.directory()).isEqualTo(image.module() + "/target/" + jarName);
        assertThat(copy.group(2)).isEqualTo(image.jarInImage());
        assertThat(dockerfile(image)).contains("\"-jar\", \"" + image.jarInImage() + "\"");
    }

    private static Optional<String> shadedJar(String module) throws IOException {
        Matcher m = OUTPUT_FILE.matcher(Files.readString(projectRoot().resolve(module).resolve("pom.xml")));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static String dockerfile(Image image) throws IOException {
        Path file = projectRoot().resolve("images").resolve(image.directory()).resolve("Dockerfile");
        return Files.readString(file);
    }

    private static String matchOne(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("/%s/ matches", regex).isTrue();
        return m.group(1);
    }
}
