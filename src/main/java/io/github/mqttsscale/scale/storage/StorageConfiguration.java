package io.github.mqttsscale.scale.storage;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The data directory's file operations. */
@Configuration(proxyBeanMethods = false)
public class StorageConfiguration {

    /** Every change to scale.data-dir goes through it: one bean, so that a test can make the directory read-only. */
    @Bean
    Disk dataDirectoryDisk() {
        return Disk.REAL;
    }
}
