<?php
/**
 * Plugin Name: sokbo post meta
 * Description: Lets sokbo keep each post's sources and lint result in post meta through the
 *   REST API (WordPress only stores meta keys a plugin registers). Copy this file into
 *   wp-content/mu-plugins/ (a must-use plugin: no activation needed).
 * Version: 1.0
 * License: MIT
 */

add_action( 'init', function () {
	$keys = array(
		'sokbo_story'   => 'sokbo story id: the same story is always updated in place',
		'sokbo_sources' => 'JSON list of the source articles (outlet, title, url, published)',
		'sokbo_lint'    => 'JSON list of sokbo lint findings (code, severity, message)',
	);
	foreach ( $keys as $key => $description ) {
		register_post_meta( 'post', $key, array(
			'type'          => 'string',
			'description'   => $description,
			'single'        => true,
			'show_in_rest'  => true,
			'auth_callback' => function () {
				return current_user_can( 'edit_posts' );
			},
		) );
	}
} );
