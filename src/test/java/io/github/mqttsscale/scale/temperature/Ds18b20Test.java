package io.github.mqttsscale.scale.temperature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DS18B20 read from files laid out as the w1-therm driver shows them in /sys/bus/w1/devices. */
class Ds18b20Test {

    private static final String SENSOR = "28-0316a2794bff";
    private static final String OTHER = "28-3c01d607d4a1";
    /** The bus master, which the driver lists beside the sensors. */
    private static final String MASTER = "w1_bus_master1";

    @TempDir
    Path devices;

    @Test
    void readsMillidegreesFromTheTemperatureFileOfNewerKernels() throws IOException {
        sensor(SENSOR).temperature("21437\n");
        Files.createDirectories(devices.resolve(MASTER));
        assertThat(new Ds18b20(devices, null).readC()).isEqualTo(21.437);
        sensor(SENSOR).temperature("-1250\n");
        assertThat(new Ds18b20(devices, null).readC()).isEqualTo(-1.25);
    }

    @Test
    void readsW1SlaveOfOlderKernelsWhenItsCrcIsGood() throws IOException {
        sensor(SENSOR).w1Slave("72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=23125\n");
        assertThat(new Ds18b20(devices, null).readC()).isEqualTo(23.125);
    }

    @Test
    void aFailedCrcIsNoReading() throws IOException {
        sensor(SENSOR).w1Slave("72 01 4b 46 7f ff 0e 10 57 : crc=32 NO\n72 01 4b 46 7f ff 0e 10 57 t=23125\n");
        assertThatThrownBy(() -> new Ds18b20(devices, null).readC()).isInstanceOf(TemperatureSensorException.class)
                .hasMessageContaining(SENSOR).hasMessageContaining("CRC check (w1_slave says NO)")
                .hasMessageContaining("4.7 kΩ pull-up");
    }

    @Test
    void eightyFiveDegreesIsThePowerOnValueNotATemperature() throws IOException {
        sensor(SENSOR).temperature("85000\n");
        assertThatThrownBy(() -> new Ds18b20(devices, null).readC())
                .hasMessageContaining("85 °C, its power-on value").hasMessageContaining("dtoverlay=w1-gpio")
                .hasMessageContaining("BCM 4 (pin 7)");
        // an older kernel: only w1_slave
        Files.delete(devices.resolve(SENSOR).resolve("temperature"));
        sensor(SENSOR).w1Slave("50 05 4b 46 7f ff 0c 10 1c : crc=1c YES\n50 05 4b 46 7f ff 0c 10 1c t=85000\n");
        assertThatThrownBy(() -> new Ds18b20(devices, null).readC()).hasMessageContaining("power-on value");
    }

    @Test
    void noBusNoSensorAndAFolderWithoutFilesSayWhatToCheck() throws IOException {
        assertThatThrownBy(() -> new Ds18b20(devices.resolve("missing"), null).readC())
                .hasMessageContaining("no 1-Wire bus").hasMessageContaining("dtoverlay=w1-gpio")
                .hasMessageContaining("/boot/firmware/config.txt");
        Files.createDirectories(devices.resolve(MASTER));
        assertThatThrownBy(() -> new Ds18b20(devices, null).readC()).hasMessageContaining("no DS18B20 in " + devices)
                .hasMessageContaining("BCM 4 (pin 7) with a 4.7 kΩ pull-up to 3.3 V");
        Files.createDirectories(devices.resolve(SENSOR));
        assertThatThrownBy(() -> new Ds18b20(devices, null).readC())
                .hasMessageContaining("neither temperature nor w1_slave");
    }

    @Test
    void withSeveralSensorsTheSettingPicksOneAndWithoutItTheErrorNamesThem() throws IOException {
        sensor(SENSOR).temperature("21000\n");
        sensor(OTHER).temperature("30500\n");
        assertThatThrownBy(() -> new Ds18b20(devices, null).readC()).hasMessageContaining("several DS18B20")
                .hasMessageContaining(SENSOR + ", " + OTHER).hasMessageContaining("scale.temperature.ds18b20.device");
        assertThat(new Ds18b20(devices, OTHER).readC()).isEqualTo(30.5);
        assertThat(new Ds18b20(devices, SENSOR).readC()).isEqualTo(21.0);
        assertThatThrownBy(() -> new Ds18b20(devices, "28-000000000000").readC())
                .hasMessageContaining("no DS18B20 28-000000000000")
                .hasMessageContaining("the bus has " + SENSOR + ", " + OTHER);
    }

    @Test
    void garbageIsNoReading() throws IOException {
        sensor(SENSOR).temperature("\n");
        assertThatThrownBy(() -> new Ds18b20(devices, null).readC()).hasMessageContaining("not a temperature");
        sensor(SENSOR).temperature("127937\n");
        assertThatThrownBy(() -> new Ds18b20(devices, null).readC()).hasMessageContaining("outside its range");
    }

    @Test
    void aSensorThatStoppedAnsweringSaysSo() throws IOException {
        // the driver answers a read of a sensor that went away with an I/O error; so does a folder in the file's place
        Files.createDirectories(devices.resolve(SENSOR).resolve("temperature"));
        assertThatThrownBy(() -> new Ds18b20(devices, null).readC()).hasMessageContaining("does not answer");
    }

    private Folder sensor(String id) throws IOException {
        return new Folder(Files.createDirectories(devices.resolve(id)));
    }

    private record Folder(Path path) {
        Folder temperature(String text) throws IOException {
            Files.writeString(path.resolve("temperature"), text);
            return this;
        }

        Folder w1Slave(String text) throws IOException {
            Files.writeString(path.resolve("w1_slave"), text);
            return this;
        }
    }
}
