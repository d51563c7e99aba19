package io.sparknn.config;

/** A config that cannot be used: the message names the file, the key, what was found and what is allowed. */
public final class ConfigException extends IllegalArgumentException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
