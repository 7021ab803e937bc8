#!/bin/sh
# Starts Debian's rabbitmq-server in the foreground, with the user RABBITMQ_DEFAULT_USER /
# RABBITMQ_DEFAULT_PASS made on the first start of an empty node (the official image's variables).
set -eu
conf=/etc/rabbitmq/rabbitmq.conf
{
  echo "listeners.tcp.default = 5672"
  echo "loopback_users = none"
  [ -n "${RABBITMQ_DEFAULT_USER:-}" ] && echo "default_user = $RABBITMQ_DEFAULT_USER"
  [ -n "${RABBITMQ_DEFAULT_PASS:-}" ] && echo "default_pass = $RABBITMQ_DEFAULT_PASS"
  true
} > "$conf"
echo "[]." > /etc/rabbitmq/enabled_plugins
exec rabbitmq-server
