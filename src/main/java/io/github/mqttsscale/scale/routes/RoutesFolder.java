package io.github.mqttsscale.scale.routes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The folder of route YAML files that Camel loads and watches. A scale started where there is none
 * yet (e.g. {@code java -jar} in a home directory) gets the default routes written out, so the user
 * has a file to edit rather than a scale that silently does nothing.
 */
public class RoutesFolder {

    private static final Logger LOG = LoggerFactory.getLogger(RoutesFolder.class);

    private final Path folder;

    public RoutesFolder(Path folder) {
        this.folder = folder;
        ensureRoutes();
    }

    public Path path() {
        return folder;
    }

    private void ensureRoutes() {
        try {
            if (Files.isDirectory(folder)) {
                try (var files = Files.list(folder)) {
                    if (files.anyMatch(file -> file.getFileName().toString().endsWith(".camel.yaml"))) {
                        return;
                    }
                }
            }
            Files.createDirectories(folder);
            for (Resource route : new PathMatchingResourcePatternResolver()
                    .getResources("classpath:default-routes/*.camel.yaml")) {
                Path target = folder.resolve(route.getFilename());
                try (InputStream in = route.getInputStream()) {
                    Files.copy(in, target);
                }
                LOG.info("Wrote the default route to {}: edit it to change what the scale does",
                        target.toAbsolutePath());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the routes folder " + folder.toAbsolutePath()
                    + " (scale.routes-dir): " + e.getMessage(), e);
        }
    }
}
