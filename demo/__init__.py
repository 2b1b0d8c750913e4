"""A bundled demo news site: three fictional French regional outlets served on 127.0.0.1."""
