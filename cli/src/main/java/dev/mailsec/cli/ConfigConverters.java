package dev.mailsec.cli;

import dev.mailsec.config.ConfigException;
import dev.mailsec.config.Parameters;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters over the pack's one configuration package ({@code dev.mailsec.config}), so an
 * option that takes a value a mailet parameter also takes is checked by the same rule and refused
 * in the same words: {@code Invalid value for option '--bounce-processor': must name a processor,
 * got 'two words'}.
 */
public final class ConfigConverters {

    /** The name the converted value has inside {@link Parameters}; left out of the message. */
    private static final String VALUE = "value";

    private ConfigConverters() {}

    /** A processor name under {@link Parameters#PROCESSOR_NAME} (the mailets' rule). */
    public static final class ProcessorName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return read(value, p -> p.processor(VALUE));
        }
    }

    private static <T> T read(String value, Function<Parameters, T> reader) {
        try {
            return reader.apply(Parameters.of(name -> VALUE.equals(name) ? value : null));
        } catch (ConfigException e) {
            throw new TypeConversionException(e.getMessage().substring(VALUE.length() + 2));
        }
    }
}
